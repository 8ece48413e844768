"""The internal servers behind the gateway (Rasa and the action server), locked to the gateway.

Neither is meant to be reachable from outside: both bind to INTERNAL_HOST (127.0.0.1 by default), and
both refuse calls without their shared secret. `python -m bot run` makes fresh secrets for each run
unless RASA_TOKEN and ACTION_SERVER_TOKEN are set (several machines must then share them).
"""

import hmac


def same_secret(expected: str, given: str | None) -> bool:
    """True when `given` is the configured secret (constant-time); never for an empty secret."""
    return bool(expected and given) and hmac.compare_digest(expected.encode(), given.encode())
