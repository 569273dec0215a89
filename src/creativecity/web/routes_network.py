"""The public network explorer: members of the UNESCO Creative Cities Network with filters, map, growth.

The registry is public data, so these pages need no account. Charts are drawn by the network area's
plotting functions and kept in memory per registry version and year: matplotlib is slow and not
thread-safe, so it runs once per picture under a lock.
"""

import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring.rules import YEAR_MAX, YEAR_MIN
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.security import authenticate, csrf_token

_chart_lock = threading.Lock()
_charts: dict[tuple[str, str, int | None], bytes] = {}
_pages_lock = threading.Lock()
_pages: dict[tuple[str, ...], Markup] = {}


def registry_version(registry: Any) -> str:
    """Changes when the registry's members change (a new import): the key of every cached view."""
    return f"{registry.origin}:{hash(registry.members)}"


def _chart(kind: str, as_of: int | None) -> bytes:
    from creativecity.network import plots
    from creativecity.network.registry import Registry

    registry = Registry.load()
    key = (kind, registry_version(registry), as_of)  # a new import draws anew
    with _chart_lock:
        if key in _charts:
            return _charts[key]
        with tempfile.TemporaryDirectory(prefix="cc-chart-") as tmp:
            out = Path(tmp) / "chart.svg"
            if kind == "growth":
                plots.growth_chart(registry, out)
            else:
                plots.member_map(registry, out, as_of=as_of)
            data = out.read_bytes()
        if len(_charts) > 64:
            _charts.clear()
        _charts[key] = data
        return data


def register(app: FastAPI, web: WebApp) -> None:
    """Add the routes of this module to ``app``."""

    @app.get("/network", include_in_schema=False)
    def network_page(
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        as_of: Annotated[str, Query(max_length=4)] = "",
        field: Annotated[str, Query(max_length=100)] = "",
        region: Annotated[str, Query(max_length=100)] = "",
        country: Annotated[str, Query(max_length=100)] = "",
    ) -> Response:
        """The public network explorer: summary, filters, map, growth chart and members.

        The content depends only on the registry and the filters, so it is rendered once per registry
        version, filters and language and kept (the page is public and the busiest under load).
        """
        from creativecity.network.registry import Registry

        try:
            auth = authenticate(request, db)
        except HTTPException:
            auth = None
        registry = Registry.load()
        key = (registry_version(registry), as_of, field, region, country, i18n.current_language())
        user = auth.user if auth else None
        reader = (user.id, user.email, user.display_name) if user else None
        answer_key = ("network", *key, reader, csrf_token(request))
        return web.pages.answer(answer_key, lambda: _network_answer(request, registry, key, user))

    def _network_answer(request: Request, registry: Any, key: tuple[Any, ...], user: Any) -> Response:
        _version, as_of, field, region, country, _lang = key
        with _pages_lock:
            body = _pages.get(key)
        if body is None:
            body = Markup(
                web.templates.get_template("_network_body.html").render(
                    _network_context(registry, as_of, field, region, country)
                )
            )
            with _pages_lock:
                if len(_pages) > 256:
                    _pages.clear()
                _pages[key] = body
        return web.render(request, "network.html", {"body": body}, user=user)

    def _network_context(registry: Any, as_of: str, field: str, region: str, country: str) -> dict[str, Any]:
        from creativecity.network.registry import FIELDS, REGIONS
        from creativecity.network.summary import summary

        error = None
        year: int | None = None
        if as_of.strip():
            try:
                year = int(as_of)
            except ValueError:
                error = f"as_of: {as_of!r} is not a year"
        members: list[Any] = []
        try:
            members = registry.members_as_of(
                year, field=field or None, region=region or None, country=country or None
            )
        except InputError as exc:
            error = str(exc)
        members = sorted(members, key=lambda m: (m.country, m.city, m.field))
        ctx = {
            "summary": summary(registry, year),
            "members": members,
            "fields": FIELDS,
            "regions": REGIONS,
            "years": registry.years,
            "filters": {"as_of": as_of, "field": field, "region": region, "country": country},
            "error": error,
            "year": year,
        }
        return ctx

    @app.get("/network/growth.svg", include_in_schema=False)
    def growth_svg() -> Response:
        """Members by field after each round (drawn once per registry version)."""
        return Response(
            _chart("growth", None), media_type="image/svg+xml", headers={"Cache-Control": "max-age=600"}
        )

    @app.get("/network/map.svg", include_in_schema=False)
    def map_svg(as_of: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None) -> Response:
        """Member cities on a world map as of a year (drawn once per registry version and year)."""
        return Response(
            _chart("map", as_of), media_type="image/svg+xml", headers={"Cache-Control": "max-age=600"}
        )
