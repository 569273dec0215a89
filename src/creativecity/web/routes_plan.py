"""The four-year action plan of the monitoring report: objectives, initiatives, budget, indicators.

Officers add lines, edit them in place and remove outdated ones; the report reads the plan from the
workspace. What a valid line is, and the changes themselves, live in
:mod:`creativecity.monitoring.action_plan` (the Excel and folder imports apply the same rule); these
routes only read the form, call it inside an audited store transaction and render the page.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring import action_plan as plan
from creativecity.monitoring import model as dm
from creativecity.monitoring.rules import TRANSLATED_LANGUAGES
from creativecity.store import repository as repo
from creativecity.store import rows
from creativecity.store.models import ActionItem
from creativecity.store.rows import EditConflictError
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import differences, error_map, version_field
from creativecity.web.security import Access, viewer_access, workspace_access

#: Languages an action line can be translated into (lines are typed in English).
TRANSLATION_LANGUAGES: tuple[str, ...] = TRANSLATED_LANGUAGES


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
            "editing": "",
            "edit_errors": {},
            "edit_values": {},
            "languages": TRANSLATION_LANGUAGES,
            "text_fields": dm.ACTION_TEXT_FIELDS,
            "versions": rows.versions(db, access.workspace, ActionItem),
        }
        ctx.update(extra)
        status = 422 if ctx["errors"] or ctx["edit_errors"] else 200
        status = 409 if ctx.get("conflict") else status
        return web.render(request, "plan.html", ctx, status_code=status, user=access.auth.user)

    @router.get("/w/{name}/plan", include_in_schema=False)
    def plan_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], edit: str = ""
    ) -> Response:
        """The action plan, in its order; ``?edit=ID`` turns that line into a form (editors)."""
        if edit:
            access = workspace_access(request, db, name, "editor", page=True)
        else:
            access = viewer_access(request, db, name)
        if not edit:
            return web.cached(request, db, access, lambda: render(request, db, access))
        workspace, _report = web.monitor_cache.get(db, access)
        item = next((a for a in workspace.action_plan if a.id == edit), None)
        if item is None:
            raise HTTPException(status_code=404, detail=f"no action {edit!r}")
        return render(request, db, access, editing=edit, edit_values=plan.line_values(workspace, item))

    @router.post("/w/{name}/plan/{item_id}", include_in_schema=False)
    async def update_item(name: str, item_id: str, request: Request) -> Response:
        """Replace a line with the edited one (editors); each changed field is in the audit trail."""
        form = await request.form()
        cells = {k: v for k, v in form.items() if isinstance(v, str) and k in plan.FIELDS}
        version = version_field(form)

        def edit(ws: dm.Workspace) -> None:
            plan.edit_line(ws, item_id, cells, lang=i18n.current_language())

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                rows.check_action_version(session, name, item_id, version)
                repo.change(session, name, edit, observations=False)
        except LookupError:
            raise HTTPException(status_code=404, detail=f"no action {item_id!r}") from None
        except EditConflictError as exc:
            # a form made before someone else's change: theirs stays, shown beside what was typed
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                conflict = {"conflict": exc, "conflict_rows": differences(cells, exc.current)}
                return render(request, db, access, editing=item_id, edit_values=cells, **conflict)
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                return render(
                    request, db, access, editing=item_id, edit_errors=error_map(exc), edit_values=cells
                )
        return RedirectResponse(f"/w/{name}/plan#action-{item_id}", status_code=303)

    @router.post("/w/{name}/plan", include_in_schema=False)
    async def add_item(name: str, request: Request) -> Response:
        """Add a line at the end of the plan (editors)."""
        form = await request.form()
        cells = {k: v for k, v in form.items() if isinstance(v, str) and k in plan.FIELDS}

        def add(ws: dm.Workspace) -> None:
            plan.add_line(ws, cells, lang=i18n.current_language())

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, add, observations=False)
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                return render(request, db, access, errors=error_map(exc), values=cells)
        return RedirectResponse(f"/w/{name}/plan", status_code=303)

    @router.post("/w/{name}/plan/{item_id}/delete", include_in_schema=False)
    def delete_item(name: str, item_id: str, request: Request) -> Response:
        """Remove a line (editors); it stays in the audit trail."""

        def remove(ws: dm.Workspace) -> None:
            plan.remove_line(ws, item_id)

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, remove, observations=False)
        except InputError:
            raise HTTPException(status_code=404, detail=f"no action {item_id!r}") from None
        return RedirectResponse(f"/w/{name}/plan", status_code=303)

    return router
