"""Which addresses webhooks may reach: GITFORGE_WEBHOOK_ALLOWED_HOSTS, as Gitea's ALLOWED_HOST_LIST.

The list holds `loopback`, `private`, `external` (the default: public unicast addresses only),
`*`, host name globs and CIDR ranges. Names are resolved here and the request then goes to the
address that was checked, so a name that resolves differently later (DNS rebinding) gains nothing.
Link-local and metadata addresses (169.254.169.254) belong to no category: only `*` or an explicit
range admits them.
"""

import ipaddress
import socket
from dataclasses import dataclass
from fnmatch import fnmatch

from django.conf import settings

LOOPBACK = "loopback"
PRIVATE = "private"
EXTERNAL = "external"
ANY = "*"

_PRIVATE_NETWORKS = [
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]


class AddressRefused(Exception):
    """The URL's host is not one webhooks may reach."""


@dataclass(frozen=True)
class Policy:
    categories: frozenset[str]
    names: tuple[str, ...]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def admits_name(self, host: str) -> bool:
        return ANY in self.categories or any(fnmatch(host.lower(), name) for name in self.names)

    def admits(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if ANY in self.categories or any(address in net for net in self.networks):
            return True
        address = _embedded_ipv4(address) or address
        if address.is_loopback:
            return LOOPBACK in self.categories
        if any(address in net for net in _PRIVATE_NETWORKS):
            return PRIVATE in self.categories
        return EXTERNAL in self.categories and address.is_global and not address.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, IPv4-compatible): it is
    judged as that address, which is where the packets end up."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address in _NAT64 or (int(address) >> 32 == 0 and int(address) > 1):  # not ::1 or ::
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_policy(text: str) -> Policy:
    categories, names, networks = set(), [], []
    for entry in (part.strip().lower() for part in text.split(",")):
        if not entry:
            continue
        if entry in (LOOPBACK, PRIVATE, EXTERNAL, ANY):
            categories.add(entry)
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.append(entry)
    return Policy(frozenset(categories), tuple(names), tuple(networks))


def current_policy() -> Policy:
    return parse_policy(settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS)


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in resolver order (IP literals resolve to themselves)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def allowed_address(host: str, port: int, policy: Policy | None = None) -> str:
    """The first address of `host` the policy admits; raises AddressRefused (or OSError when the
    name does not resolve). Every address must be admitted, so a name cannot mix a public
    address with a private one to slip through."""
    policy = policy or current_policy()
    addresses = resolve(host, port)
    if policy.admits_name(host):
        return addresses[0]
    for text in addresses:
        if not policy.admits(ipaddress.ip_address(text.split("%")[0])):
            raise AddressRefused(f"{host} resolves to {text}, which webhooks may not reach")
    return addresses[0]
