"""Read queries of the runtime and the domain; each owns its permission filter."""
