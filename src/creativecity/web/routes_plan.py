"""The four-year action plan of the monitoring report: objectives, initiatives, budget, indicators.

Officers add lines and remove outdated ones; the report reads the plan from the workspace. Each change
is audited like a figure.
"""

import math
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import model as dm
from creativecity.store import repository as repo
from creativecity.store.workspaces import KeyMaker
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import error_map
from creativecity.web.security import Access, workspace_access

TEXT_FIELDS = ("objective", "initiative", "currency", "indicator", "lead", "partners", "source")
FIELDS = (*TEXT_FIELDS, "budget", "target_value", "target_year")
MAX_LENGTH = 2000


def parse_item(ws: dm.Workspace, cells: dict[str, str]) -> dm.ActionItem:
    """Check one action-plan line; every problem is reported at once, naming the field."""
    errors: list[InputError] = []

    def err(column: str, message: str, rule: str) -> None:
        errors.append(InputError(message, file="form", column=column, rule=rule))

    values = {k: cells.get(k, "").strip() for k in FIELDS}
    for key, value in values.items():
        if len(value) > MAX_LENGTH:
            err(key, f"longer than {MAX_LENGTH} characters", "max length")
    for key in ("objective", "initiative"):
        if not values[key]:
            err(key, "a value is required", "required")
    if values["indicator"] and values["indicator"] not in ws.indicator_codes():
        err("indicator", f"{values['indicator']!r} is not a defined indicator", "unknown indicator")
    numbers: dict[str, float | None] = {}
    for key in ("budget", "target_value"):
        try:
            number = float(values[key]) if values[key] else None
        except ValueError:
            number = math.nan
        if number is not None and not math.isfinite(number):
            err(key, f"{values[key]!r} is not a number", "number")
        numbers[key] = number
    year: int | None = None
    if values["target_year"]:
        try:
            year = int(values["target_year"])
        except ValueError:
            err("target_year", f"{values['target_year']!r} is not a year", "year")
        else:
            if not 1900 <= year <= 2100:
                err("target_year", f"year {year} is outside 1900-2100", "year range")
    if errors:
        raise InputErrors(errors, file="form")
    return dm.ActionItem(
        id=KeyMaker("act")({a.id for a in ws.action_plan}),
        objective=values["objective"],
        initiative=values["initiative"],
        budget=numbers["budget"],
        currency=values["currency"],
        indicator=values["indicator"],
        target_value=numbers["target_value"],
        target_year=year,
        lead=values["lead"],
        partners=values["partners"],
        source=values["source"],
    )


def register(app: FastAPI, web: WebApp) -> None:
    """Add the routes of this module to ``app``."""

    def render(request: Request, db: Session, access: Access, **extra: Any) -> Response:
        workspace, _report = app.state.monitor_cache.get(db, access)
        ctx: dict[str, Any] = {"access": access, "ws": workspace, "errors": {}, "values": {}}
        ctx.update(extra)
        status = 422 if ctx["errors"] else 200
        return web.render(request, "plan.html", ctx, status_code=status, user=access.auth.user)

    @app.get("/w/{name}/plan", include_in_schema=False)
    def plan_page(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The action plan, in its order."""
        return render(request, db, workspace_access(request, db, name, "viewer", page=True))

    @app.post("/w/{name}/plan", include_in_schema=False)
    async def add_item(name: str, request: Request) -> Response:
        """Add a line at the end of the plan (editors)."""
        form = await request.form()
        cells = {k: v for k, v in form.items() if isinstance(v, str) and k in FIELDS}
        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, lambda ws: ws.action_plan.append(parse_item(ws, cells)))
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                return render(request, db, access, errors=error_map(exc), values=cells)
        return RedirectResponse(f"/w/{name}/plan", status_code=303)

    @app.post("/w/{name}/plan/{item_id}/delete", include_in_schema=False)
    def delete_item(name: str, item_id: str, request: Request) -> Response:
        """Remove a line (editors); it stays in the audit trail."""

        def remove(ws: dm.Workspace) -> None:
            if not any(a.id == item_id for a in ws.action_plan):
                raise InputError(f"no action {item_id!r}", column="id", rule="exists")
            ws.action_plan = [a for a in ws.action_plan if a.id != item_id]

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, remove)
        except InputError:
            raise HTTPException(status_code=404, detail=f"no action {item_id!r}") from None
        return RedirectResponse(f"/w/{name}/plan", status_code=303)
