"""ASGI entry point used by ``creativecity serve`` (and any ASGI server): ``creativecity.web.asgi:app``.

The settings come from environment variables that ``serve`` sets before starting the workers, so each
worker process builds the same app on the same database with the same session key.
"""

from __future__ import annotations

import os

from creativecity.web.app import create_app
from creativecity.web.proxy import FORWARDED_ENV, with_proxy_headers

fastapi_app = create_app(
    os.environ.get("CREATIVECITY_WEB_DATABASE") or os.environ.get("CREATIVECITY_DATABASE_URL"),
    secret_key=os.environ.get("CREATIVECITY_WEB_SECRET") or os.environ.get("CREATIVECITY_SECRET_KEY"),
    secure_cookies=bool(os.environ.get("CREATIVECITY_WEB_SECURE")),
    migrate=True,
    load_bundled=True,
)
app = with_proxy_headers(fastapi_app, os.environ.get(FORWARDED_ENV))
