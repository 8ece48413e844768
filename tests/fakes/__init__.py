"""Fakes of outside services (the Telegram Bot API), served on real local sockets in tests."""
