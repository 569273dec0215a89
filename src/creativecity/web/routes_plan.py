"""The four-year action plan of the monitoring report: objectives, initiatives, budget, indicators.

Officers add lines, edit them in place and remove outdated ones; the report reads the plan from the
workspace. Lines are typed in English; their Vietnamese wording (``objective_vi``, ``initiative_vi``,
``lead_vi``, ``partners_vi``) is kept where the monitoring library keeps it,
``Workspace.action_plan_translations``, so the reports use it and mark what is untranslated. Each change
is audited like a figure.
"""

import math
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import model as dm
from creativecity.monitoring.text import NumberError, parse_number
from creativecity.store import repository as repo
from creativecity.store.workspaces import KeyMaker
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import error_map
from creativecity.web.security import Access, workspace_access

TEXT_FIELDS = ("objective", "initiative", "currency", "indicator", "lead", "partners", "source")
#: Languages an action line can be translated into (lines are typed in English).
TRANSLATION_LANGUAGES: tuple[str, ...] = tuple(lang for lang in dm.LANGUAGES if lang != "en")
TRANSLATED_FIELDS = tuple(f"{f}_{lang}" for lang in TRANSLATION_LANGUAGES for f in dm.ACTION_TEXT_FIELDS)
FIELDS = (*TEXT_FIELDS, "budget", "target_value", "target_year", *TRANSLATED_FIELDS)
MAX_LENGTH = 2000


def item_values(ws: dm.Workspace, item: dm.ActionItem) -> dict[str, str]:
    """The form values of a stored line, translations included (what the edit form starts from)."""
    values = {k: "" if getattr(item, k) is None else str(getattr(item, k)) for k in FIELDS if "_" not in k}
    for key in ("budget", "target_value"):
        number = getattr(item, key)
        values[key] = "" if number is None else f"{number:g}"
    values["target_year"] = "" if item.target_year is None else str(item.target_year)
    for lang in TRANSLATION_LANGUAGES:
        texts = ws.action_plan_translations.get(lang, {}).get(item.id, {})
        for f in dm.ACTION_TEXT_FIELDS:
            values[f"{f}_{lang}"] = texts.get(f, "")
    return values


def set_translations(ws: dm.Workspace, item_id: str, cells: dict[str, str]) -> None:
    """Store the translated fields of a line; empty ones are removed (the report then marks them)."""
    for lang in TRANSLATION_LANGUAGES:
        texts = {f: cells.get(f"{f}_{lang}", "").strip() for f in dm.ACTION_TEXT_FIELDS}
        by_item = ws.action_plan_translations.setdefault(lang, {})
        kept = {f: t for f, t in texts.items() if t}
        if kept:
            by_item[item_id] = kept
        else:
            by_item.pop(item_id, None)
        if not by_item:
            ws.action_plan_translations.pop(lang, None)


def parse_item(ws: dm.Workspace, cells: dict[str, str], item_id: str | None = None) -> dm.ActionItem:
    """Check one action-plan line; every problem is reported at once, naming the field.

    ``item_id`` is the line being edited; a new line gets the next free ``act-NNNN``.
    """
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
            number = parse_number(values[key], i18n.current_language()) if values[key] else None
        except NumberError:
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
        id=item_id or KeyMaker("act")({a.id for a in ws.action_plan}),
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
        }
        ctx.update(extra)
        status = 422 if ctx["errors"] or ctx["edit_errors"] else 200
        return web.render(request, "plan.html", ctx, status_code=status, user=access.auth.user)

    @app.get("/w/{name}/plan", include_in_schema=False)
    def plan_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], edit: str = ""
    ) -> Response:
        """The action plan, in its order; ``?edit=ID`` turns that line into a form (editors)."""
        access = workspace_access(request, db, name, "editor" if edit else "viewer", page=True)
        if not edit:
            return render(request, db, access)
        workspace, _report = app.state.monitor_cache.get(db, access)
        item = next((a for a in workspace.action_plan if a.id == edit), None)
        if item is None:
            raise HTTPException(status_code=404, detail=f"no action {edit!r}")
        return render(request, db, access, editing=edit, edit_values=item_values(workspace, item))

    @app.post("/w/{name}/plan/{item_id}", include_in_schema=False)
    async def update_item(name: str, item_id: str, request: Request) -> Response:
        """Replace a line with the edited one (editors); each changed field is in the audit trail."""
        form = await request.form()
        cells = {k: v for k, v in form.items() if isinstance(v, str) and k in FIELDS}

        def edit(ws: dm.Workspace) -> None:
            index = next((i for i, a in enumerate(ws.action_plan) if a.id == item_id), None)
            if index is None:
                raise LookupError(item_id)
            ws.action_plan[index] = parse_item(ws, cells, item_id)
            set_translations(ws, item_id, cells)

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, edit)
        except LookupError:
            raise HTTPException(status_code=404, detail=f"no action {item_id!r}") from None
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                return render(
                    request, db, access, editing=item_id, edit_errors=error_map(exc), edit_values=cells
                )
        return RedirectResponse(f"/w/{name}/plan#action-{item_id}", status_code=303)

    @app.post("/w/{name}/plan", include_in_schema=False)
    async def add_item(name: str, request: Request) -> Response:
        """Add a line at the end of the plan (editors)."""
        form = await request.form()
        cells = {k: v for k, v in form.items() if isinstance(v, str) and k in FIELDS}

        def add(ws: dm.Workspace) -> None:
            item = parse_item(ws, cells)
            ws.action_plan.append(item)
            set_translations(ws, item.id, cells)

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, add)
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
            set_translations(ws, item_id, {})

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, remove)
        except InputError:
            raise HTTPException(status_code=404, detail=f"no action {item_id!r}") from None
        return RedirectResponse(f"/w/{name}/plan", status_code=303)
