"""Who is calling: the client's address, believed from X-Forwarded-For only behind trusted proxies.

Run uvicorn with `--no-proxy-headers` (the launcher does): the address must come from here, where the
list of proxies is the deployment's (`TRUSTED_PROXIES`), not from a header any client can write.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.requests import HTTPConnection

from bot.keys import keyed_hash

UNKNOWN = "unknown"


class ClientAddresses:
    """The address of the citizen (or officer) behind a request or WebSocket, and a keyed id for it."""

    def __init__(self, trusted_proxies: list[str], key: bytes) -> None:
        self._trusted: list[IPv4Network | IPv6Network] = [ip_network(p, strict=False) for p in trusted_proxies]
        self._key = key

    def address(self, connection: HTTPConnection) -> str:
        """The peer's address; behind trusted proxies, the last X-Forwarded-For hop they did not add."""
        peer = connection.client.host if connection.client else UNKNOWN
        if not self._is_trusted(peer):
            return peer
        hops = [hop.strip() for hop in ",".join(connection.headers.getlist("x-forwarded-for")).split(",")]
        for hop in reversed([hop for hop in hops if hop]):
            if not self._is_trusted(hop):
                return hop if _valid(hop) else peer
            peer = hop
        return peer

    def client_id(self, connection: HTTPConnection) -> str:
        """A stable, non-reversible id of the caller's address, for rate limits shared by all gateways."""
        return "addr:" + keyed_hash(self._key, "client-address", self.address(connection))

    def _is_trusted(self, address: str) -> bool:
        if not _valid(address):
            return False
        parsed = ip_address(address)
        return any(parsed in network for network in self._trusted)


def _valid(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True
