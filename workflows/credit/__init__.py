"""The credit domain: subjects, records, lists, measures, cases and their services."""
