"""The gateway: the one internet-facing process. Channels in, Rasa behind, replies out."""
