"""The team's other work: report texts written by officers, and who may do what (workspace admins).

Both go through the audited store: a changed paragraph and a changed role are in the audit trail with
who changed them, like any figure.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.monitoring.application import (
    APPLICATION_SECTIONS,
    KNOWN_SECTIONS,
    MONITORING_SECTIONS,
)
from creativecity.monitoring.forms import form_for, word_limit
from creativecity.monitoring.texts import SUBMISSION_LANGUAGES, TEXT_LANGUAGES, section_texts, word_count
from creativecity.store import accounts, audit, rows
from creativecity.store import repository as repo
from creativecity.store.models import Narrative
from creativecity.store.rows import EditConflictError
from creativecity.web.app import WebApp
from creativecity.web.routes_pages import differences
from creativecity.web.security import Access, viewer_access, workspace_access
from creativecity.web.terms import SECTION_GROUPS, SECTION_TITLES

MAX_TEXT = 20_000
LANGUAGES = TEXT_LANGUAGES  # working text (vi) beside the submission texts (en, fr)


def section_limits(workspace: Any) -> dict[str, int]:
    """The word limit of every section (0: none or unknown): the form's, else the city's setting.

    A city answers one particular call, whose limits the form's data leave unknown when they could not
    be read; the workspace records them (``creativecity workspace word-limit``), so the page shows those.
    """
    out = {}
    for kind, sections in (("mmr", MONITORING_SECTIONS), ("application", APPLICATION_SECTIONS)):
        form = form_for(workspace, kind)
        for s in sections:
            out[s] = word_limit(form, s, workspace.word_limits) or 0
    return out


def translation_states(workspace: Any) -> dict[tuple[str, str], bool]:
    """``(section, lang) -> out of date`` for the submission texts (dates from the audit trail)."""
    out = {}
    for kind in ("mmr", "application"):
        for lang in SUBMISSION_LANGUAGES:
            for state in section_texts(workspace, kind, lang):
                out[(state.section.id, lang)] = state.out_of_date
    return out


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    @router.get("/w/{name}/texts", include_in_schema=False)
    def texts_page(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], saved: str = ""
    ) -> Response:
        """The report sections in both languages; editors can change them."""
        access = viewer_access(request, db, name)

        def make() -> Response:
            return web.render(request, "texts.html", texts_context(db, access, saved), user=access.auth.user)

        return web.cached(request, db, access, make)

    def texts_context(db: Session, access: Access, saved: str = "") -> dict[str, Any]:
        """The texts by section and language, their versions (the forms carry them) and word counts."""
        found = db.scalars(select(Narrative).where(Narrative.workspace_id == access.workspace.id))
        texts = {(n.section, n.lang): n.text for n in found}
        workspace, _report = web.monitor_cache.get(db, access)
        ctx = {
            "access": access,
            "groups": [
                ("monitoring", SECTION_GROUPS["monitoring"], MONITORING_SECTIONS),
                ("application", SECTION_GROUPS["application"], APPLICATION_SECTIONS),
            ],
            "languages": LANGUAGES,
            "texts": texts,
            "words": {key: word_count(text) for key, text in texts.items()},
            "limits": section_limits(workspace),
            "outdated": translation_states(workspace),
            "submission_languages": SUBMISSION_LANGUAGES,
            "saved": saved,
            "error": None,
            "titles": SECTION_TITLES,
            "versions": rows.versions(db, access.workspace, Narrative),
        }
        return ctx

    @router.post("/w/{name}/texts/{section}/{lang}", include_in_schema=False)
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

    @router.get("/w/{name}/members", include_in_schema=False)
    def members_page(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """Who has which role on this workspace (workspace admins only)."""
        access = workspace_access(request, db, name, "admin", page=True)
        return web.render(request, "members.html", _members_ctx(db, access, None), user=access.auth.user)

    @router.post("/w/{name}/members", include_in_schema=False)
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

    @router.post("/w/{name}/members/sessions", include_in_schema=False)
    def end_sessions(name: str, request: Request, email: Annotated[str, Form(max_length=320)]) -> Response:
        """A site administrator signs a member out of every browser now (a lost laptop); audited."""
        with web.write(request, name, "admin", page=True) as (session, access):
            if not access.auth.user.is_admin:
                raise HTTPException(status_code=403, detail="only a site administrator can end sessions")
            user = accounts.get_user(session, email)
            if user is None:
                raise HTTPException(status_code=404, detail=f"no account {email!r}")
            ended = accounts.revoke_sessions(session, user)
            audit.record(
                session,
                action="update",
                entity="account",
                workspace_id=access.workspace.id,
                entity_id=user.email,
                field="sessions",
                new_value=f"{ended} ended",
            )
        return RedirectResponse(f"/w/{name}/members", status_code=303)

    return router


def _members_ctx(db: Session, access: object, error: str | None) -> dict[str, object]:
    workspace = access.workspace  # type: ignore[attr-defined]
    return {
        "access": access,
        "members": accounts.members_of(db, workspace),
        "site_admins": accounts.site_admins(db),
        "roles": accounts.ROLES,
        "error": error,
    }
