"""Dossiers (hồ sơ) submitted to the one-stop-shop system: codes, lookup, status."""
