class TrustedProxies:
    """The peers whose X-Forwarded-For and X-Forwarded-Proto are believed: IPs, networks or `*`."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = [entry.strip() for entry in entries if entry.strip()]
        self.everyone = "*" in entries
        self.networks: list[IPv4Network | IPv6Network] = [
            ip_network(entry, strict=False) for entry in entries if entry != "*"
        ]
        # Few distinct peers reach a service; remembering the answer saves parsing each time.
        self.trusts = lru_cache(maxsize=1024)(self._trusts)

    def _trusts(self, host: str) -> bool:
        if self.everyone:
            return True
        try:
            address = ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def client(self, forwarded_for: str) -> str | None:
        """The right-most address of the chain that no trusted proxy added, the client's."""
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        # Every hop is a trusted proxy: the first one is as close to the client as can be known.
        return hops[0] if hops else None
