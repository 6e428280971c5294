"""Write operations of the runtime and the domain; each is one transaction."""
