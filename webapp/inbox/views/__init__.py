"""Views of the reviewers' inbox and task form."""
