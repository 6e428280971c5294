"""auditing area of the web app."""
