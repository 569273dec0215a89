"""ASGI entry point used by ``creativecity serve`` (and any ASGI server): ``creativecity.web.asgi:app``.

The settings come from environment variables that ``serve`` sets before starting the workers, so each
worker process builds the same app on the same database with the same session key.
"""

from __future__ import annotations

import os
from typing import Any

from creativecity.web.app import create_app

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


fastapi_app = create_app(
    os.environ.get("CREATIVECITY_WEB_DATABASE") or os.environ.get("CREATIVECITY_DATABASE_URL"),
    secret_key=os.environ.get("CREATIVECITY_WEB_SECRET") or os.environ.get("CREATIVECITY_SECRET_KEY"),
    secure_cookies=bool(os.environ.get("CREATIVECITY_WEB_SECURE")),
    migrate=True,
    load_bundled=True,
)
app = with_proxy_headers(fastapi_app, os.environ.get(FORWARDED_ENV))
