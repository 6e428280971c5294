"""Working-day calendar: statutory holidays, make-up days and deadlines."""
