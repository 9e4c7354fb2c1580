"""consumers.builtin."""
