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

    def client(self, {% if trusted_proxies_know_the_peer | default(false) %}peer: str, forwarded_for: str | None) -> str{% else %}forwarded_for: str) -> str | None{% endif %}:
        """The right-most address of the chain that no trusted proxy added, the client's."""
{%- if trusted_proxies_know_the_peer | default(false) %}
        if forwarded_for is None or not self.trusts(peer):
            return peer
{%- endif %}
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        # Every hop is a trusted proxy: the first one is as close to the client as can be known.
        return hops[0] if hops else {% if trusted_proxies_know_the_peer | default(false) %}peer{% else %}None{% endif %}
{%- if trusted_proxies_know_the_peer | default(false) %}

    def scheme(self, peer: str, scheme: str, forwarded_proto: str | None) -> str:
        """The scheme the client used: the nearest trusted proxy's X-Forwarded-Proto, if any."""
        if forwarded_proto is None or not self.trusts(peer):
            return scheme
        forwarded = forwarded_proto.rsplit(",", 1)[-1].strip().lower()
        return forwarded if forwarded in {"http", "https"} else scheme
{%- endif %}
