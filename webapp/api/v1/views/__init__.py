"""Views of the v1 API, one module per resource; each calls selectors and services."""
