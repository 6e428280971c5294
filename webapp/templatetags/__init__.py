"""Template tags and filters shared by every area of the web app."""
