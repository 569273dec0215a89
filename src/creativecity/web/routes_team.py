"""The team's other work: report texts written by officers, and who may do what (workspace admins).

Both go through the audited store: a changed paragraph and a changed role are in the audit trail with
who changed them, like any figure.
"""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring.application import (
    APPLICATION_SECTIONS,
    DEFAULT_WORD_LIMITS,
    KNOWN_SECTIONS,
    MONITORING_SECTIONS,
)
from creativecity.monitoring.model import LANGUAGES
from creativecity.reports.narrative import word_count
from creativecity.store import accounts, rows
from creativecity.store import repository as repo
from creativecity.store.models import Narrative
from creativecity.store.rows import EditConflictError
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import differences
from creativecity.web.security import Access, workspace_access
from creativecity.web.terms import SECTION_GROUPS, SECTION_TITLES

MAX_TEXT = 20_000


def section_limits(word_limits: dict[str, int]) -> dict[str, int]:
    """The word limit of every known section: the workspace's own, else the library's default.

    A city answers one particular call for applications, whose limits may differ from the defaults;
    the workspace records them (``creativecity workspace word-limit``), so the page shows those.
    """
    return {s: int(word_limits.get(s, DEFAULT_WORD_LIMITS.get(s, 0))) for s in KNOWN_SECTIONS}


def register(app: FastAPI, web: WebApp) -> None:
    """Add the routes of this module to ``app``."""

    @app.get("/w/{name}/texts", include_in_schema=False)
    def texts_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], saved: str = ""
    ) -> Response:
        """The report sections in both languages; editors can change them."""
        access = workspace_access(request, db, name, "viewer", page=True)

        def make() -> Response:
            return web.render(request, "texts.html", texts_context(db, access, saved), user=access.auth.user)

        return web.cached(request, db, access, make)

    def texts_context(db: Session, access: Access, saved: str = "") -> dict[str, Any]:
        """The texts by section and language, their versions (the forms carry them) and word counts."""
        found = db.scalars(select(Narrative).where(Narrative.workspace_id == access.workspace.id))
        texts = {(n.section, n.lang): n.text for n in found}
        workspace, _report = app.state.monitor_cache.get(db, access)
        ctx = {
            "access": access,
            "groups": [
                ("monitoring", SECTION_GROUPS["monitoring"], MONITORING_SECTIONS),
                ("application", SECTION_GROUPS["application"], APPLICATION_SECTIONS),
            ],
            "languages": LANGUAGES,
            "texts": texts,
            "words": {key: word_count(text) for key, text in texts.items()},
            "limits": section_limits(workspace.word_limits),
            "saved": saved,
            "error": None,
            "titles": SECTION_TITLES,
            "versions": rows.versions(db, access.workspace, Narrative),
        }
        return ctx

    @app.post("/w/{name}/texts/{section}/{lang}", include_in_schema=False)
    def save_text(
        name: str,
        section: str,
        lang: str,
        request: Request,
        text: Annotated[str, Form()] = "",
        version: Annotated[int | None, Form()] = None,
    ) -> Response:
        """Save one section in one language (an empty text removes it); audited.

        A form made before someone else saved the same text is not saved: the page comes back with
        their text beside the one typed (409).
        """
        if section not in KNOWN_SECTIONS or lang not in LANGUAGES:
            raise HTTPException(status_code=404, detail="unknown section or language")
        if len(text) > MAX_TEXT:
            raise HTTPException(status_code=422, detail=f"the text is longer than {MAX_TEXT} characters")

        def put(ws: object) -> None:
            narratives = ws.narratives  # type: ignore[attr-defined]
            if text.strip():
                narratives[(section, lang)] = text
            else:
                narratives.pop((section, lang), None)

        try:
            with web.write(request, name, "editor", page=True) as (session, _access):
                rows.check_text_version(session, name, section, lang, version)
                repo.change(session, name, put, observations=False)
        except EditConflictError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                ctx = texts_context(db, access)
                ctx["texts"][(section, lang)] = text  # what was typed stays in the form
                ctx["versions"][(section, lang)] = exc.version
                ctx |= {"conflict": exc, "conflict_at": (section, lang)}
                ctx["conflict_rows"] = differences({"text": text}, exc.current)
                return web.render(request, "texts.html", ctx, status_code=409, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/texts?saved={section}-{lang}#{section}-{lang}", status_code=303)

    @app.get("/w/{name}/members", include_in_schema=False)
    def members_page(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """Who has which role on this workspace (workspace admins only)."""
        access = workspace_access(request, db, name, "admin", page=True)
        return web.render(request, "members.html", _members_ctx(db, access, None), user=access.auth.user)

    @app.post("/w/{name}/members", include_in_schema=False)
    def grant_role(
        name: str,
        request: Request,
        email: Annotated[str, Form(max_length=320)],
        role: Annotated[str, Form(max_length=20)],
    ) -> Response:
        """Set or remove someone's role; accounts themselves are made on the command line."""
        try:
            with web.write(request, name, "admin", page=True) as (session, access):
                user = accounts.get_user(session, email)
                if user is None:
                    raise InputError(
                        f"no account {email!r}: create it with `creativecity user add`",
                        column="email",
                        rule="known user",
                    )
                if role == "none":
                    accounts.revoke(session, user, access.workspace)
                else:
                    accounts.grant(session, user, access.workspace, role)
        except InputError as exc:
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "admin", page=True)
                ctx = _members_ctx(db, access, str(exc))
                return web.render(request, "members.html", ctx, status_code=422, user=access.auth.user)
        return RedirectResponse(f"/w/{name}/members", status_code=303)


def _members_ctx(db: Session, access: object, error: str | None) -> dict[str, object]:
    workspace = access.workspace  # type: ignore[attr-defined]
    return {
        "access": access,
        "members": accounts.members_of(db, workspace),
        "site_admins": accounts.site_admins(db),
        "roles": accounts.ROLES,
        "error": error,
    }
