"""The gateway's own HTTP routes, one module per concern."""
