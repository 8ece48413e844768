"""Guided document checklist: walk a citizen through a procedure's papers, then sum up what is missing."""
