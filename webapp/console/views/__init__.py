"""Views of the process administrators' console, one module per page family."""
