"""Conversation logic independent of Rasa: what to answer in a turn, given what the NLU understood."""
