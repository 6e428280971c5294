"""inbox area of the web app."""
