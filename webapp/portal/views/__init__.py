"""Views of the subject portal, one module per page family."""
