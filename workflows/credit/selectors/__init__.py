"""Reads of the credit domain: query shape and select_related live here."""
