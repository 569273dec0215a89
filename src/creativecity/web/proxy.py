"""Trusting a reverse proxy's ``X-Forwarded-For``: only from the proxies the operator names.

Kept apart from :mod:`creativecity.web.asgi`, which builds the app when imported, so that this rule can
be used (and tested) without opening a database.
"""

from __future__ import annotations

from typing import Any

#: The environment variable through which ``creativecity serve --forwarded-allow-ips`` reaches workers.
FORWARDED_ENV = "CREATIVECITY_WEB_FORWARDED_ALLOW_IPS"


def with_proxy_headers(application: Any, forwarded_allow_ips: str | None) -> Any:
    """Believe ``X-Forwarded-For``/``-Proto`` only from the given proxies (uvicorn's middleware).

    Behind a reverse proxy every request comes from the proxy's address, so the per-address login
    limit would lump all users together; naming the proxy (``serve --forwarded-allow-ips 10.0.0.5``)
    makes the app see each client's address. Anyone else's ``X-Forwarded-For`` is ignored, so a forged
    header cannot dodge the limits. Without a list the app is returned unwrapped (headers ignored).
    """
    if not forwarded_allow_ips:
        return application
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    hosts = [h.strip() for h in forwarded_allow_ips.split(",") if h.strip()]
    return ProxyHeadersMiddleware(application, trusted_hosts=hosts)
