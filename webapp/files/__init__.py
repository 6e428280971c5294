"""files area of the web app."""
