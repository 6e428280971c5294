"""notices area of the web app."""
