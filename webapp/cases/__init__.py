"""cases area of the web app."""
