"""public area of the web app."""
