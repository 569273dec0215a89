"""Workspace pages: the dashboard, data entry (add, edit, delete an observation) and the audit trail.

Editing works with and without JavaScript: with htmx a row turns into a form in place and back; without
it the same URLs answer with whole pages and redirects.
"""

import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import repository as mrepo
from creativecity.monitoring.model import CERTAINTIES, IndicatorDef
from creativecity.store import audit
from creativecity.store import repository as repo
from creativecity.store.models import AuditEntry
from creativecity.store.workspaces import (
    get_observation,
    list_indicators,
    list_observations,
    observation_to_domain,
    units_of,
)
from creativecity.web import i18n, vocabulary
from creativecity.web.app import WebApp
from creativecity.web.charts import series_points, sparkline
from creativecity.web.security import Access, dashboard_access, workspace_access

OBS_FORM_FIELDS = (
    "indicator",
    "scope",
    "value",
    "unit",
    "reference_year",
    "reference_year_note",
    "method",
    "source",
    "note",
    "certainty",
)


class MonitorCache:
    """``monitor()`` results keyed by workspace and its last audit entry.

    Every change writes an audit entry, so the newest audit id is a version number of the workspace's
    content: the dashboard recomputes only after a change, and stays fast under load.
    """

    def __init__(self, size: int = 32) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[int, int], Any] = {}
        self._size = size
        self.pages: dict[tuple[Any, ...], Markup] = {}
        """Rendered dashboard bodies by (workspace, version, language, role)."""

    def page(self, key: tuple[Any, ...], render: Any) -> Markup:
        """A rendered page part, made once per key (the key holds the content version)."""
        with self._lock:
            hit = self.pages.get(key)
        if hit is None:
            hit = Markup(render())
            with self._lock:
                if len(self.pages) >= 4 * self._size:
                    self.pages.clear()
                self.pages[key] = hit
        return hit

    @staticmethod
    def version(session: Session, workspace_id: int) -> int:
        """The workspace's content version: its newest audit entry id."""
        stmt = select(func.max(AuditEntry.id)).where(AuditEntry.workspace_id == workspace_id)
        return int(session.scalar(stmt) or 0)

    def get(self, session: Session, access: Access) -> tuple[Any, Any]:
        """The domain workspace and its monitoring report (``None`` when monitoring is unavailable)."""
        ws_id = access.workspace.id
        key = (ws_id, self.version(session, ws_id))
        with self._lock:
            hit = self._items.get(key)
        if hit is not None:
            return hit
        workspace = repo.load_workspace(session, access.workspace.name, history=False)
        try:
            from creativecity.monitoring import monitor
        except ImportError:  # pragma: no cover - the monitoring area is part of the package
            report = None
        else:
            report = monitor(workspace)
        with self._lock:
            if len(self._items) >= self._size:
                self._items.clear()
            self._items[key] = (workspace, report)
        return workspace, report


def conflicting_ids(rows: list[Any]) -> set[str]:
    """Ids of figures that disagree with another one of the same series and year.

    Marked in the table so that an editor sees where to choose the preferred figure.
    """
    groups: dict[tuple[Any, ...], list[str]] = {}
    for o in rows:
        if o.reference_year is not None:
            groups.setdefault((*o.series_key(), o.reference_year), []).append(o.id)
    return {i for ids in groups.values() if len(ids) > 1 for i in ids}


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k in OBS_FORM_FIELDS}


def error_map(exc: InputError) -> dict[str, str]:
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    out: dict[str, str] = {}
    for e in errors:
        column = (e.column or "").split("(")[-1].rstrip(")") or "_"
        out[column] = (out.get(column, "") + " " + e.message).strip()
    return out


def register(app: FastAPI, web: WebApp) -> None:
    """Add the routes of this module to ``app``."""
    cache = MonitorCache()
    app.state.monitor_cache = cache

    def form_context(db: Session, access: Access) -> dict[str, Any]:
        """Choices for the observation form: the workspace's indicators, units and certainty levels."""
        return {
            "indicators": [
                IndicatorDef(code=i.code, name_en=i.name_en, name_vi=i.name_vi, unit=i.unit)
                for i in list_indicators(db, access.workspace)
            ],
            "units": sorted(units_of(db, access.workspace)),
            "certainties": CERTAINTIES,
        }

    @app.get("/w/{name}", include_in_schema=False)
    async def dashboard(name: str, request: Request) -> Response:
        # The busiest page: async, without a threadpool dependency, so a request costs no thread hops.
        # Its queries are a few indexed look-ups (under a millisecond); the monitoring report and the
        # rendered body are cached per content version, so the event loop is never held for long.
        with web.store.reading() as db:
            return _dashboard(name, request, db)

    def _dashboard(name: str, request: Request, db: Session) -> Response:
        """Targets, evidence, conflicts and stale figures of one workspace, for any member."""
        access, version = dashboard_access(request, db, name)
        lang = i18n.current_language()
        key = ("dashboard", access.workspace.id, version, lang, access.role)

        def render_body() -> str:
            workspace, report = cache.get(db, access)

            def chart(row: Any, target: bool = True) -> Markup:
                points = series_points(workspace.observations, row.indicator, row.scope, row.unit, row.method)
                goal = (row.target_year, row.target_value) if target else None
                ind = workspace.indicator(row.indicator)
                name = ind.name(lang) if ind is not None else row.indicator
                where = f"{vocabulary.scope_name(workspace, row.scope)}, {vocabulary.unit_name(row.unit)}"
                return sparkline(points, goal, label=f"{name} ({where})")

            context = {"access": access, "ws": workspace, "report": report, "lang": lang, "chart": chart}
            return web.templates.get_template("_dashboard_body.html").render(context)

        body = cache.page(key, render_body)
        return web.render(
            request,
            "dashboard.html",
            {"access": access, "body": body, "city": access.workspace.city},
            user=access.auth.user,
        )

    @app.get("/w/{name}/data", include_in_schema=False)
    def data_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], indicator: str | None = None
    ) -> Response:
        """The figures of a workspace with their sources; editors get the add form and edit buttons."""
        access = workspace_access(request, db, name, "viewer", page=True)
        rows = [observation_to_domain(r) for r in list_observations(db, access.workspace, indicator or None)]
        ctx = {"access": access, "rows": rows, "errors": {}, "values": {}, "indicator": indicator or ""}
        ctx["conflicts"] = conflicting_ids(rows)
        return web.render(request, "data.html", ctx | form_context(db, access), user=access.auth.user)

    @app.post("/w/{name}/observations", include_in_schema=False)
    async def add_observation(name: str, request: Request) -> Response:
        """Add a figure from the form; on a rule broken, the form comes back with the errors by field."""
        values = await _form(request)
        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.add_observation(
                    session, name, values | {"id": ""}, file="form", lang=i18n.current_language()
                )
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                rows = [observation_to_domain(r) for r in list_observations(db, access.workspace)]
                ctx = {"access": access, "rows": rows, "errors": error_map(exc), "values": values}
                ctx["indicator"] = ""
                return web.render(
                    request,
                    "data.html",
                    ctx | form_context(db, access),
                    status_code=422,
                    user=access.auth.user,
                )
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @app.get("/w/{name}/observations/{key}", include_in_schema=False)
    def observation_row(
        name: str, key: str, request: Request, db: Annotated[Session, Depends(web.db)]
    ) -> Response:
        """One table row (htmx puts it back when an edit is cancelled)."""
        access = workspace_access(request, db, name, "viewer", page=True)
        obs = _find(db, access, key)
        return web.render(request, "_obs_row.html", {"access": access, "o": obs}, user=access.auth.user)

    @app.get("/w/{name}/observations/{key}/edit", include_in_schema=False)
    def edit_form(name: str, key: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The edit form of one figure: in place in the row with htmx, else as a page."""
        access = workspace_access(request, db, name, "editor", page=True)
        obs = _find(db, access, key)
        ctx = {"access": access, "o": obs, "values": obs.to_dict(), "errors": {}} | form_context(db, access)
        template = "_obs_edit.html" if _is_htmx(request) else "edit.html"
        return web.render(request, template, ctx, user=access.auth.user)

    @app.post("/w/{name}/observations/{key}", include_in_schema=False)
    async def save_observation(name: str, key: str, request: Request) -> Response:
        """Save an edited figure; errors come back next to the fields, nothing half-saved."""
        values = await _form(request)
        try:
            with web.write(request, name, "editor", page=True) as (session, access):
                obs = repo.update_observation(
                    session, name, key, values, file="form", lang=i18n.current_language()
                )
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                obs_row = _find(db, access, key)
                ctx = {"access": access, "o": obs_row, "values": values, "errors": error_map(exc)}
                ctx |= form_context(db, access)
                template = "_obs_edit.html" if _is_htmx(request) else "edit.html"
                # htmx swaps only 2xx answers by default: the form with its errors must come back as 200
                status = 200 if _is_htmx(request) else 422
                return web.render(request, template, ctx, status_code=status, user=access.auth.user)
        if _is_htmx(request):
            return web.render(request, "_obs_row.html", {"access": access, "o": obs}, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @app.post("/w/{name}/observations/{key}/delete", include_in_schema=False)
    def delete_observation(name: str, key: str, request: Request) -> Response:
        """Remove a figure (editors); its last values stay in the audit trail."""
        with web.write(request, name, "editor", page=True) as (session, _access):
            repo.delete_observation(session, name, key)
        if _is_htmx(request):
            return HTMLResponse("")
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @app.post("/w/{name}/observations/{key}/prefer", include_in_schema=False)
    def prefer_observation(name: str, key: str, request: Request) -> Response:
        """Choose this figure where sources disagree for the same series and year."""
        with web.write(request, name, "editor", page=True) as (session, access):
            obs = repo.change(
                session, name, lambda ws: mrepo.apply_set_preferred(ws, key, access.auth.user.email)
            )
        if _is_htmx(request):
            return web.render(request, "_obs_row.html", {"access": access, "o": obs}, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @app.get("/w/{name}/audit", include_in_schema=False)
    def audit_page(
        name: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        indicator: str | None = None,
        entity_id: str | None = None,
    ) -> Response:
        """Who changed what and when, for the workspace or one indicator."""
        access = workspace_access(request, db, name, "viewer", page=True)
        entries = audit.entries(
            db, access.workspace.id, indicator=indicator or None, entity_id=entity_id or None, limit=500
        )
        ctx = {
            "access": access,
            "entries": entries,
            "indicator": indicator or "",
            "entity_id": entity_id or "",
            "indicators": list_indicators(db, access.workspace),
        }
        return web.render(request, "audit.html", ctx, user=access.auth.user)

    def _find(db: Session, access: Access, key: str) -> Any:
        """One figure of the workspace as the domain object, or 404."""
        try:
            return observation_to_domain(get_observation(db, access.workspace, key))
        except InputError:
            raise HTTPException(status_code=404, detail=f"no observation {key!r}") from None
