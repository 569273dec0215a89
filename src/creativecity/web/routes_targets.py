"""Targets: the commitments a city is measured against, with the policy document that set them.

They change rarely (a new resolution, a revised plan), so plain forms are enough: a list, an add form
and an edit page. The monitoring library's rules check every target (known indicator and unit, a
year, a source, no duplicate), and every change is audited.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring.validation import TARGET_COLUMNS
from creativecity.store import rows
from creativecity.store.models import Target
from creativecity.store.rows import EditConflictError
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import differences, error_map, version_field
from creativecity.web.security import Access, viewer_access, workspace_access

FIELDS = tuple(c for c in TARGET_COLUMNS if c != "id")
MAX_LENGTH = 2000


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k in FIELDS}
    too_long = [k for k, v in values.items() if len(v) > MAX_LENGTH]
    if too_long:
        raise HTTPException(
            status_code=422, detail=f"longer than {MAX_LENGTH} characters: {', '.join(too_long)}"
        )
    return values


def target_version(db: Session, access: Access, key: str) -> int | None:
    """The stored version of one target (the edit form carries it)."""
    stmt = select(Target.version).where(Target.workspace_id == access.workspace.id, Target.key == key)
    return db.scalar(stmt)


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    def render_list(request: Request, db: Session, access: Access, **extra: Any) -> Response:
        workspace, _report = web.monitor_cache.get(db, access)
        ctx: dict[str, Any] = {"access": access, "ws": workspace, "errors": {}, "values": {}}
        ctx.update(extra)
        return web.render(
            request, "targets.html", ctx, status_code=422 if ctx["errors"] else 200, user=access.auth.user
        )

    @router.get("/w/{name}/targets", include_in_schema=False)
    def targets_page(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The workspace's targets with their instruments and sources."""
        access = viewer_access(request, db, name)
        return web.cached(request, db, access, lambda: render_list(request, db, access))

    @router.post("/w/{name}/targets", include_in_schema=False)
    async def add_target_form(name: str, request: Request) -> Response:
        """Add a target from the form; errors come back next to the fields."""
        values = await _form(request)
        try:
            with web.write(request, name, "editor", page=True) as (session, access):
                rows.add_target(
                    session,
                    name,
                    values | {"id": ""},
                    access.auth.actor.email,
                    file="form",
                    lang=i18n.current_language(),
                )
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                return render_list(request, db, access, errors=error_map(exc), values=values)
        return RedirectResponse(f"/w/{name}/targets", status_code=303)

    @router.get("/w/{name}/targets/{target_id}/edit", include_in_schema=False)
    def edit_target_page(
        name: str, target_id: str, request: Request, db: Annotated[Session, Depends(web.db)]
    ) -> Response:
        """The edit form of one target (editors)."""
        access = workspace_access(request, db, name, "editor", page=True)
        workspace, _report = web.monitor_cache.get(db, access)
        target = workspace.target(target_id)
        if target is None:
            raise HTTPException(status_code=404, detail=f"no target {target_id!r}")
        ctx = {"access": access, "ws": workspace, "t": target, "values": target.to_dict(), "errors": {}}
        ctx["version"] = target_version(db, access, target_id)
        return web.render(request, "target_edit.html", ctx, user=access.auth.user)

    @router.post("/w/{name}/targets/{target_id}", include_in_schema=False)
    async def save_target(name: str, target_id: str, request: Request) -> Response:
        """Save an edited target; each changed field goes to the audit trail."""
        values = await _form(request)
        version = version_field(await request.form())
        try:
            with web.write(request, name, "editor", page=True) as (session, access):
                rows.update_target(
                    session,
                    name,
                    target_id,
                    values,
                    access.auth.actor.email,
                    expected_version=version,
                    lang=i18n.current_language(),
                )
        except (InputError, EditConflictError) as exc:
            conflict = exc if isinstance(exc, EditConflictError) else None
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                workspace, _report = web.monitor_cache.get(db, access)
                target = workspace.target(target_id)
                if target is None:
                    raise HTTPException(status_code=404, detail=f"no target {target_id!r}") from None
                ctx = {
                    "access": access,
                    "ws": workspace,
                    "t": target,
                    "values": values,
                    "errors": {} if conflict else error_map(exc),  # type: ignore[arg-type]
                    "conflict": conflict,
                    "conflict_rows": differences(values, conflict.current) if conflict else [],
                    "version": conflict.version if conflict else version,
                }
                status = 409 if conflict else 422
                return web.render(request, "target_edit.html", ctx, status_code=status, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/targets", status_code=303)

    return router
