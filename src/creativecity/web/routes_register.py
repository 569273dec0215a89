"""The initiatives register and the network activity log: list, add, edit in place, remove, audit trail.

Officers keep the city's commitments (local and inter-city initiatives, with period, partners, yearly
budget, UCCN objectives, SDG targets, linked indicators and sources) and its contributions to the
network (conferences, sub-network meetings, evaluations...) here; the Membership Monitoring Report is
filled from them. Records are checked by the monitoring library's rules
(:func:`~creativecity.monitoring.initiatives.parse_initiative`,
:func:`~creativecity.monitoring.activities.parse_activity`), the same as the Excel sheet and the command
line, and every change is in the audit trail shown under the tables.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import model as dm
from creativecity.monitoring.activities import (
    ACTIVITY_COLUMNS,
    ACTIVITY_KINDS,
    next_activity_id,
    parse_activity,
)
from creativecity.monitoring.initiatives import (
    AREAS_OF_ACTION,
    INITIATIVE_COLUMNS,
    LEVELS,
    STATUSES,
    next_initiative_id,
    parse_initiative,
)
from creativecity.store import repository as repo
from creativecity.store.models import AuditEntry
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import error_map
from creativecity.web.security import Access, viewer_access, workspace_access

MAX_LENGTH = 5000


def _cells(form: Any, columns: tuple[str, ...]) -> dict[str, str]:
    cells = {k: v.strip() for k, v in form.items() if isinstance(v, str) and k in columns and k != "id"}
    for key, value in cells.items():
        if len(value) > MAX_LENGTH:
            raise InputErrors([InputError(f"longer than {MAX_LENGTH} characters", file="form", column=key)])
    return cells


def _trail(db: Session, workspace_id: int) -> list[AuditEntry]:
    """The newest changes of the register and the log (the page's audit trail)."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.workspace_id == workspace_id, AuditEntry.entity.in_(("initiative", "activity")))
        .order_by(AuditEntry.id.desc())
        .limit(100)
    )
    return list(db.scalars(stmt))


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    def render(request: Request, db: Session, access: Access, **extra: Any) -> Response:
        workspace, _report = web.monitor_cache.get(db, access)
        ctx: dict[str, Any] = {
            "access": access,
            "ws": workspace,
            "errors": {},
            "values": {},
            "act_errors": {},
            "act_values": {},
            "editing": "",
            "edit_errors": {},
            "edit_values": {},
            "levels": LEVELS,
            "statuses": STATUSES,
            "areas": AREAS_OF_ACTION,
            "kinds": ACTIVITY_KINDS,
            "trail": _trail(db, access.workspace.id),
        }
        ctx.update(extra)
        bad = ctx["errors"] or ctx["edit_errors"] or ctx["act_errors"]
        return web.render(
            request, "register.html", ctx, status_code=422 if bad else 200, user=access.auth.user
        )

    def parse(ws: dm.Workspace, cells: dict[str, str], item_id: str) -> Any:
        item, errors = parse_initiative(cells | {"id": item_id}, file="form", indicators=ws.indicator_codes())
        if item is None:
            raise InputErrors(errors)
        return item

    def write(request: Request, name: str, change: Any) -> None:
        with web.write(request, name, "editor", page=True) as (session, _access):
            repo.change(session, name, change)

    def refused(request: Request, name: str, **extra: Any) -> Response:
        with web.store.reading() as db:
            access = workspace_access(request, db, name, "editor", page=True)
            return render(request, db, access, **extra)

    @router.get("/w/{name}/register", include_in_schema=False)
    def register_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], edit: str = ""
    ) -> Response:
        """The register and the log; ``?edit=ID`` turns that initiative into a form (editors)."""
        if edit:
            access = workspace_access(request, db, name, "editor", page=True)
        else:
            access = viewer_access(request, db, name)
        if not edit:
            return render(request, db, access)
        workspace, _report = web.monitor_cache.get(db, access)
        item = next((i for i in workspace.initiatives if i.id == edit), None)
        if item is None:
            raise HTTPException(status_code=404, detail=f"no initiative {edit!r}")
        values = {k: "" if v is None else str(v) for k, v in item.to_dict().items()}
        return render(request, db, access, editing=edit, edit_values=values)

    @router.post("/w/{name}/register", include_in_schema=False)
    async def add_initiative(name: str, request: Request) -> Response:
        """Add an initiative at the end of the register (editors)."""
        cells: dict[str, str] = {}
        try:
            cells = _cells(await request.form(), INITIATIVE_COLUMNS)

            def add(ws: dm.Workspace) -> None:
                ws.initiatives.append(parse(ws, cells, next_initiative_id(i.id for i in ws.initiatives)))

            write(request, name, add)
        except InputError as exc:
            return refused(request, name, errors=error_map(exc), values=cells)
        return RedirectResponse(f"/w/{name}/register", status_code=303)

    @router.post("/w/{name}/register/{item_id}", include_in_schema=False)
    async def edit_initiative(name: str, item_id: str, request: Request) -> Response:
        """Replace an initiative by its edited version (editors); each changed field is audited."""
        cells: dict[str, str] = {}
        try:
            cells = _cells(await request.form(), INITIATIVE_COLUMNS)

            def edit(ws: dm.Workspace) -> None:
                index = next((i for i, x in enumerate(ws.initiatives) if x.id == item_id), None)
                if index is None:
                    raise LookupError(item_id)
                ws.initiatives[index] = parse(ws, cells, item_id)

            write(request, name, edit)
        except LookupError:
            raise HTTPException(status_code=404, detail=f"no initiative {item_id!r}") from None
        except InputError as exc:
            return refused(request, name, editing=item_id, edit_errors=error_map(exc), edit_values=cells)
        return RedirectResponse(f"/w/{name}/register#initiative-{item_id}", status_code=303)

    @router.post("/w/{name}/register/{item_id}/delete", include_in_schema=False)
    def delete_initiative(name: str, item_id: str, request: Request) -> Response:
        """Remove an initiative (editors); its content stays in the audit trail."""

        def remove(ws: dm.Workspace) -> None:
            if not any(i.id == item_id for i in ws.initiatives):
                raise LookupError(item_id)
            ws.initiatives = [i for i in ws.initiatives if i.id != item_id]

        try:
            write(request, name, remove)
        except LookupError:
            raise HTTPException(status_code=404, detail=f"no initiative {item_id!r}") from None
        return RedirectResponse(f"/w/{name}/register", status_code=303)

    @router.post("/w/{name}/activities", include_in_schema=False)
    async def add_activity(name: str, request: Request) -> Response:
        """Log a network activity (editors)."""
        cells: dict[str, str] = {}
        try:
            cells = _cells(await request.form(), ACTIVITY_COLUMNS)

            def add(ws: dm.Workspace) -> None:
                new_id = next_activity_id(a.id for a in ws.activities)
                item, errors = parse_activity(cells | {"id": new_id}, file="form")
                if item is None:
                    raise InputErrors(errors)
                ws.activities.append(item)

            write(request, name, add)
        except InputError as exc:
            return refused(request, name, act_errors=error_map(exc), act_values=cells)
        return RedirectResponse(f"/w/{name}/register#activities", status_code=303)

    @router.post("/w/{name}/activities/{item_id}/delete", include_in_schema=False)
    def delete_activity(name: str, item_id: str, request: Request) -> Response:
        """Remove a logged activity (editors); it stays in the audit trail."""

        def remove(ws: dm.Workspace) -> None:
            if not any(a.id == item_id for a in ws.activities):
                raise LookupError(item_id)
            ws.activities = [a for a in ws.activities if a.id != item_id]

        try:
            write(request, name, remove)
        except LookupError:
            raise HTTPException(status_code=404, detail=f"no activity {item_id!r}") from None
        return RedirectResponse(f"/w/{name}/register#activities", status_code=303)

    return router
