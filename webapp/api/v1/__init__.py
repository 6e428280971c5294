"""Version 1 of the REST API, under /api/v1/."""
