"""accounts area of the web app."""
