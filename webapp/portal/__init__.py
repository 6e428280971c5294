"""portal area of the web app."""
