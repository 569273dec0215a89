"""Workspace pages: the dashboard, data entry (add, edit, delete an observation) and the audit trail.

Editing works with and without JavaScript: with htmx a row turns into a form in place and back; without
it the same URLs answer with whole pages and redirects.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import progress as monitoring_progress
from creativecity.monitoring.model import CERTAINTIES, IndicatorDef
from creativecity.store import audit, rows
from creativecity.store import repository as repo
from creativecity.store.rows import EditConflictError
from creativecity.store.workspaces import (
    conflicting_groups,
    count_observations,
    get_observation,
    list_indicators,
    list_observations,
    list_observations_in,
    observation_to_domain,
    units_of,
)
from creativecity.web import i18n, vocabulary
from creativecity.web.app import WebApp
from creativecity.web.charts import series_points, sparkline
from creativecity.web.pagecache import reader_key
from creativecity.web.security import Access, dashboard_access, viewer_access, workspace_access

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


PAGE_SIZE = 100
"""Figures per data page and audit entries per audit page: a page costs the same at 20 or 20,000 rows."""


def conflicting_ids(db: Session, workspace: Any, page: list[Any]) -> set[str]:
    """Ids of the page's figures that disagree with another one of the same series and year.

    Marked in the table so that an editor sees where to choose the preferred figure. The other figure
    may be on another page, so the database first finds the series-years of the page holding more than
    one figure; the figures of those groups are then judged by the monitoring library's one rule
    (:func:`creativecity.monitoring.progress.conflicting_ids`: only differing values conflict).
    """
    groups = conflicting_groups(db, workspace, {(o.indicator, o.scope) for o in page})
    if not groups:
        return set()
    members = [
        observation_to_domain(row)
        for row in list_observations_in(db, workspace, {(g[0], g[1]) for g in groups})
        if (row.indicator, row.scope, row.unit, row.method, row.reference_year) in groups
    ]
    page_ids = {o.id for o in page}
    return monitoring_progress.conflicting_ids(members) & page_ids


def page_links(page: int, total: int, size: int = PAGE_SIZE) -> dict[str, int]:
    """The page number shown (clamped to the pages there are), the number of pages, and the offset."""
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    return {"page": page, "pages": pages, "offset": (page - 1) * size, "total": total}


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


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

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

    @router.get("/w/{name}", include_in_schema=False)
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
            workspace, report = web.monitor_cache.get(db, access)

            def chart(row: Any, target: bool = True) -> Markup:
                points = series_points(workspace.observations, row.indicator, row.scope, row.unit, row.method)
                goal = (row.target_year, row.target_value) if target else None
                ind = workspace.indicator(row.indicator)
                name = ind.name(lang) if ind is not None else row.indicator
                where = f"{vocabulary.scope_name(workspace, row.scope)}, {vocabulary.unit_name(row.unit)}"
                return sparkline(points, goal, label=f"{name} ({where})")

            from creativecity.monitoring.calendar import city_calendar

            context = {"access": access, "ws": workspace, "report": report, "lang": lang, "chart": chart}
            context["calendar"] = city_calendar(workspace)  # next MMR due, calls for applications
            return web.templates.get_template("_dashboard_body.html").render(context)

        def make() -> Response:
            body = web.monitor_cache.page(key, render_body)
            return web.render(
                request,
                "dashboard.html",
                {"access": access, "body": body, "city": access.workspace.city},
                user=access.auth.user,
            )

        return web.pages.answer((*reader_key(request, access), version), make)

    def data_context(db: Session, access: Access, indicator: str, page: int) -> dict[str, Any]:
        """One page of figures (by indicator, scope and year), with the pager and the conflicts on it.

        The table's rows are rendered once per content version, page, filter, language and whether
        the reader may edit (they hold no per-user token), so a busy page costs a few indexed queries.
        """
        pager = page_links(page, count_observations(db, access.workspace, indicator or None))
        version = web.monitor_cache.version(db, access.workspace.id)
        lang = i18n.current_language()
        key = ("data", access.workspace.id, version, indicator, pager["page"], lang, access.can("editor"))

        def render_rows() -> str:
            found = list_observations(
                db, access.workspace, indicator or None, limit=PAGE_SIZE, offset=pager["offset"]
            )
            shown = [observation_to_domain(r) for r in found]
            ctx = {"access": access, "rows": shown, "conflicts": conflicting_ids(db, access.workspace, shown)}
            # indicators by their name in the page's language (the code stays in the link's title)
            ctx["names"] = {
                i.code: (i.name_vi or i.name_en or i.code) if lang == "vi" else (i.name_en or i.code)
                for i in list_indicators(db, access.workspace)
            }
            return web.templates.get_template("_obs_rows.html").render(ctx | {"lang": lang})

        rows_html = web.monitor_cache.page(key, render_rows)
        ctx = {"access": access, "rows_html": rows_html, "errors": {}, "values": {}, "indicator": indicator}
        return ctx | {"pager": pager} | form_context(db, access)

    @router.get("/w/{name}/data", include_in_schema=False)
    def data_page(
        name: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        indicator: str | None = None,
        page: int = 1,
    ) -> Response:
        """The figures of a workspace with their sources, a page at a time; editors get the forms."""
        access = viewer_access(request, db, name)

        def make() -> Response:
            ctx = data_context(db, access, indicator or "", page)
            return web.render(request, "data.html", ctx, user=access.auth.user)

        return web.cached(request, db, access, make)

    @router.post("/w/{name}/observations", include_in_schema=False)
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
                ctx = data_context(db, access, "", 1) | {"errors": error_map(exc), "values": values}
                return web.render(request, "data.html", ctx, status_code=422, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @router.get("/w/{name}/observations/{key}", include_in_schema=False)
    def observation_row(
        name: str, key: str, request: Request, db: Annotated[Session, Depends(web.db)]
    ) -> Response:
        """One table row (htmx puts it back when an edit is cancelled)."""
        access = viewer_access(request, db, name)
        obs, _version = _find(db, access, key)
        return web.render(request, "_obs_row.html", {"access": access, "o": obs}, user=access.auth.user)

    @router.get("/w/{name}/observations/{key}/edit", include_in_schema=False)
    def edit_form(name: str, key: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The edit form of one figure: in place in the row with htmx, else as a page."""
        access = workspace_access(request, db, name, "editor", page=True)
        obs, version = _find(db, access, key)
        ctx = {"access": access, "o": obs, "values": obs.to_dict(), "errors": {}, "version": version}
        ctx |= form_context(db, access)
        template = "_obs_edit.html" if _is_htmx(request) else "edit.html"
        return web.render(request, template, ctx, user=access.auth.user)

    @router.post("/w/{name}/observations/{key}", include_in_schema=False)
    async def save_observation(name: str, key: str, request: Request) -> Response:
        """Save an edited figure; errors come back next to the fields, nothing half-saved.

        The form carries the version it was made from: if someone saved the figure since, nothing is
        saved and the form comes back with their values beside the editor's ("changed by X at T"),
        so a note typed into a stale form cannot silently undo another editor's new value.
        """
        values = await _form(request)
        version = version_field(await request.form())
        try:
            with web.write(request, name, "editor", page=True) as (session, access):
                obs = repo.update_observation(
                    session,
                    name,
                    key,
                    values,
                    file="form",
                    expected_version=version,
                    lang=i18n.current_language(),
                )
        except (InputError, EditConflictError) as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                obs_row, current_version = _find(db, access, key)
                conflict = exc if isinstance(exc, EditConflictError) else None
                errors = {} if conflict else error_map(exc)  # type: ignore[arg-type]
                ctx = {"access": access, "o": obs_row, "values": values, "errors": errors}
                ctx |= {"conflict": conflict, "version": current_version if conflict else version}
                ctx["conflict_rows"] = differences(values, conflict.current) if conflict else []
                ctx |= form_context(db, access)
                template = "_obs_edit.html" if _is_htmx(request) else "edit.html"
                # htmx swaps only 2xx answers by default: the form with its errors must come back as 200
                status = 200 if _is_htmx(request) else (409 if conflict else 422)
                return web.render(request, template, ctx, status_code=status, user=access.auth.user)
        if _is_htmx(request):
            return web.render(request, "_obs_row.html", {"access": access, "o": obs}, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @router.post("/w/{name}/observations/{key}/delete", include_in_schema=False)
    def delete_observation(name: str, key: str, request: Request) -> Response:
        """Remove a figure (editors); its last values stay in the audit trail."""
        with web.write(request, name, "editor", page=True) as (session, _access):
            repo.delete_observation(session, name, key)
        if _is_htmx(request):
            return HTMLResponse("")
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @router.post("/w/{name}/observations/{key}/prefer", include_in_schema=False)
    def prefer_observation(name: str, key: str, request: Request) -> Response:
        """Choose this figure where sources disagree for the same series and year."""
        with web.write(request, name, "editor", page=True) as (session, access):
            obs = observation_to_domain(rows.set_preferred(session, name, key, access.auth.actor.email))
        if _is_htmx(request):
            return web.render(request, "_obs_row.html", {"access": access, "o": obs}, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/data", status_code=303)

    @router.get("/w/{name}/audit", include_in_schema=False)
    def audit_page(
        name: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        indicator: str | None = None,
        entity_id: str | None = None,
        before: int | None = None,
    ) -> Response:
        """Who changed what and when, for the workspace or one indicator, newest first, a page at a time."""
        access = viewer_access(request, db, name)

        def make() -> Response:
            found = audit.entries(
                db,
                access.workspace.id,
                indicator=indicator or None,
                entity_id=entity_id or None,
                limit=PAGE_SIZE + 1,
                before=before,
            )
            entries = found[:PAGE_SIZE]
            ctx = {
                "access": access,
                "entries": entries,
                "older": entries[-1].id if len(found) > PAGE_SIZE else None,
                "paged": before is not None,
                "indicator": indicator or "",
                "entity_id": entity_id or "",
                "indicators": list_indicators(db, access.workspace),
            }
            return web.render(request, "audit.html", ctx, user=access.auth.user)

        return web.cached(request, db, access, make)

    def _find(db: Session, access: Access, key: str) -> tuple[Any, int]:
        """One figure of the workspace as the domain object, and its version; 404 when absent."""
        try:
            row = get_observation(db, access.workspace, key)
        except InputError:
            raise HTTPException(status_code=404, detail=f"no observation {key!r}") from None
        return observation_to_domain(row), row.version

    return router


def _same(typed: str, saved: Any) -> bool:
    if saved is None or saved == "":
        return typed.strip() == ""
    try:
        return float(typed) == float(saved)
    except (TypeError, ValueError):
        return typed.strip() == str(saved).strip()


def differences(typed: dict[str, str], saved: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(field, your value, saved value)`` for each field of a stale form that differs from the row."""
    return [
        (f, typed[f], "" if saved.get(f) is None else str(saved.get(f)))
        for f in typed
        if f in saved and not _same(typed[f], saved.get(f))
    ]


def version_field(form: Any) -> int | None:
    """The ``version`` a form was made from (``None`` for a form without one: no check)."""
    value = form.get("version")
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
