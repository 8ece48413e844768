"""MotCua: a Vietnamese assistant for public administrative procedures."""
