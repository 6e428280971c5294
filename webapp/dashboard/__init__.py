"""dashboard area of the web app."""
