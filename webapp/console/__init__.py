"""console area of the web app."""
