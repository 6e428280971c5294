"""Views of the auditors' workspace (read-only, except verifying and exporting)."""
