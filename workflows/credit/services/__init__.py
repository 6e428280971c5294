"""Writes of the credit domain: each validates, changes state and audits atomically."""
