"""api area of the web app."""
