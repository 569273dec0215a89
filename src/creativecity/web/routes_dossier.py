"""The application dossier's contacts and attachments checklist, edited on one page.

The UNESCO form names four contacts and asks for a set of documents. Both live in the workspace
(``Workspace.contacts``, ``Workspace.attachments``) so the dossier, the command line and this page show
one state. The page checks with the monitoring library's own rules (``check_contacts``,
``check_attachments``): an e-mail that is not one, a provided item with the wrong number of files, a photo
that is not a JPEG are shown next to the field and nothing is saved. Photo sizes are checked where the
files are (``creativecity workspace attach``): the page records names, it does not hold the files.
"""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.monitoring import model as dm
from creativecity.monitoring.application import (
    ATTACHMENT_KINDS,
    ATTACHMENT_STATUSES,
    CONTACT_ROLES,
    HONORIFICS,
    Attachment,
    Contact,
    check_attachments,
    check_contacts,
)
from creativecity.monitoring.application import CONTACT_FIELDS as CONTACT_FIELDS
from creativecity.store import repository as repo
from creativecity.web.app import WebApp
from creativecity.web.security import Access, viewer_access, workspace_access
from creativecity.web.terms import ATTACHMENT_TITLES, CONTACT_ROLE_TITLES

ATTACHMENT_FIELDS: tuple[str, ...] = ("status", "files", "note")
MAX_LENGTH = 500
_WHERE = re.compile(r"^(contacts|attachments)\[(\d+)\]$")


def form_contacts(cells: dict[str, str]) -> list[Contact]:
    """One contact per role, in the form's order, from fields named ``ROLE.FIELD``."""
    return [
        Contact(role, **{f: cells.get(f"{role}.{f}", "").strip() for f in CONTACT_FIELDS})
        for role in CONTACT_ROLES
    ]


def form_attachments(cells: dict[str, str]) -> list[Attachment]:
    """One checklist item per kind, in the form's order, from fields named ``KIND.FIELD``."""
    return [
        Attachment(
            kind,
            status=cells.get(f"{kind}.status", "missing").strip(),
            files=cells.get(f"{kind}.files", "").strip(),
            note=cells.get(f"{kind}.note", "").strip(),
        )
        for kind in ATTACHMENT_KINDS
    ]


def field_errors(exc: InputError, keys: tuple[str, ...]) -> dict[str, str]:
    """Errors keyed by form field (``mayor.email``): the library names ``contacts[1]`` and a column.

    ``keys`` are the roles or kinds in the order the lists were built, so ``contacts[1]`` is
    ``keys[0]``. An error without such a position keeps its own column name.
    """
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    out: dict[str, str] = {}
    for e in errors:
        match = _WHERE.match(str(e.row or ""))
        field = str(e.column or "_")
        key = f"{keys[int(match.group(2)) - 1]}.{field}" if match else field
        out[key] = (out.get(key, "") + " " + e.message).strip()
    return out


def _lengths(
    cells: dict[str, str], prefix: str, keys: tuple[str, ...], fields: tuple[str, ...]
) -> list[InputError]:
    """Text longer than :data:`MAX_LENGTH`, positioned like the library's errors (``contacts[2]``)."""
    errors = []
    for i, key in enumerate(keys, start=1):
        for f in fields:
            if len(cells.get(f"{key}.{f}", "")) > MAX_LENGTH:
                errors.append(
                    InputError(
                        f"longer than {MAX_LENGTH} characters",
                        file="form",
                        row=f"{prefix}[{i}]",
                        column=f,
                        rule="max length",
                    )
                )
    return errors


def checked_contacts(cells: dict[str, str]) -> list[Contact]:
    """The contacts of the form, or every problem at once (library rules plus a length limit)."""
    contacts = form_contacts(cells)
    errors = check_contacts(contacts, "form") + _lengths(cells, "contacts", CONTACT_ROLES, CONTACT_FIELDS)
    if errors:
        raise InputErrors(errors, file="form")
    return contacts


def checked_attachments(cells: dict[str, str]) -> list[Attachment]:
    """The checklist of the form, or every problem at once (library rules plus a length limit)."""
    attachments = form_attachments(cells)
    kinds = tuple(ATTACHMENT_KINDS)
    errors = check_attachments(attachments, "form") + _lengths(cells, "attachments", kinds, ATTACHMENT_FIELDS)
    if errors:
        raise InputErrors(errors, file="form")
    return attachments


def _values(ws: dm.Workspace) -> dict[str, str]:
    values: dict[str, str] = {}
    for c in ws.contacts:
        for f in CONTACT_FIELDS:
            values[f"{c.role}.{f}"] = getattr(c, f)
    for a in ws.attachments:
        for f in ATTACHMENT_FIELDS:
            values[f"{a.kind}.{f}"] = getattr(a, f)
    return values


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    def render(request: Request, db: Session, access: Access, **extra: Any) -> Response:
        workspace, _report = web.monitor_cache.get(db, access)
        ctx: dict[str, Any] = {
            "access": access,
            "ws": workspace,
            "values": _values(workspace),
            "errors": {},
            "which": "",
            "saved": "",
            "roles": CONTACT_ROLES,
            "role_titles": CONTACT_ROLE_TITLES,
            "contact_fields": CONTACT_FIELDS,
            "honorifics": HONORIFICS,
            "kinds": ATTACHMENT_KINDS,
            "kind_titles": ATTACHMENT_TITLES,
            "statuses": ATTACHMENT_STATUSES,
        }
        ctx.update(extra)
        status = 422 if ctx["errors"] else 200
        return web.render(request, "dossier.html", ctx, status_code=status, user=access.auth.user)

    @router.get("/w/{name}/dossier", include_in_schema=False)
    def dossier_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], saved: str = ""
    ) -> Response:
        """The contacts and the attachments checklist (editors change them)."""
        access = viewer_access(request, db, name)
        shown = saved if saved in ("contacts", "attachments") else ""
        return web.cached(request, db, access, lambda: render(request, db, access, saved=shown))

    async def save(name: str, request: Request, which: str) -> Response:
        form = await request.form()
        cells = {k: v for k, v in form.items() if isinstance(v, str) and "." in k}
        keys = CONTACT_ROLES if which == "contacts" else tuple(ATTACHMENT_KINDS)

        def put(ws: dm.Workspace) -> None:
            if which == "contacts":
                ws.contacts = checked_contacts(cells)
            else:
                ws.attachments = checked_attachments(cells)

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                repo.change(session, name, put, observations=False)
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                workspace, _report = web.monitor_cache.get(db, access)
                values = _values(workspace) | cells  # what was typed, to correct it
                return render(request, db, access, errors=field_errors(exc, keys), which=which, values=values)
        return RedirectResponse(f"/w/{name}/dossier?saved={which}#{which}", status_code=303)

    @router.post("/w/{name}/dossier/contacts", include_in_schema=False)
    async def save_contacts(name: str, request: Request) -> Response:
        """Replace the four contacts (editors); audited."""
        return await save(name, request, "contacts")

    @router.post("/w/{name}/dossier/attachments", include_in_schema=False)
    async def save_attachments(name: str, request: Request) -> Response:
        """Replace the attachments checklist (editors); audited."""
        return await save(name, request, "attachments")

    return router
