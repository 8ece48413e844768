"""The procedure catalogue: model, loading, validation, import and search."""
