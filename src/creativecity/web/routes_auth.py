"""Signing in and out, the language switch, the home page and the health check."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text
from sqlalchemy.orm import Session

from creativecity.store import accounts
from creativecity.store.models import User
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.security import authenticate, client_ip, login_session, logout_session, session_id


def safe_next(target: str | None) -> str:
    """Only same-site paths: ``next=https://evil.example`` must not turn login into a redirector."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    @router.get("/healthz", tags=["system"])
    def healthz() -> Response:
        """200 when the app and its database answer, 503 otherwise."""
        try:
            with web.store.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            return JSONResponse({"status": "error", "database": str(exc)[:200]}, status_code=503)
        return JSONResponse({"status": "ok", "database": web.store.backend})

    @router.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers ask for this path whatever the page says; send them to the icon."""
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @router.get("/", include_in_schema=False)
    def home(request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """Straight to the only workspace a person has; a list when there are several; sign-in otherwise."""
        auth = authenticate(request, db)
        if auth is None:
            return RedirectResponse("/login", status_code=303)
        spaces = accounts.workspaces_of(db, auth.user)
        if len(spaces) == 1:
            return RedirectResponse(f"/w/{spaces[0][0].name}", status_code=303)
        return web.render(request, "home.html", {"spaces": spaces}, user=auth.user)

    @router.get("/login", include_in_schema=False)
    def login_page(request: Request, db: Annotated[Session, Depends(web.db)], next: str = "/") -> Response:
        """The sign-in form; already signed-in people go on to where they were headed."""
        if request.session.get("sid") and authenticate(request, db) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        return web.render(request, "login.html", {"next": safe_next(next), "error": None, "email": ""})

    @router.post("/login", include_in_schema=False)
    def login(
        request: Request,
        email: Annotated[str, Form(max_length=320)],
        password: Annotated[str, Form(max_length=1000)],
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        """Check the password unless the login limits say no (429); start a server-side session.

        The Argon2 check runs between two short transactions, never inside a write: on SQLite a
        flood of wrong logins must not hold the write lock that editors' saves need.
        """
        ip = client_ip(request)
        with web.store.reading() as db:
            blocked = accounts.login_blocked(db, email, ip)
            user = None if blocked else accounts.get_user(db, email)
        sid = None
        if blocked:
            error, status = i18n.gettext("Too many failed attempts. Try again in a few minutes."), 429
        else:
            ok, rehash = accounts.check_password(user, password)  # slow by design; no transaction open
            with web.store.transaction(None) as session:
                accounts.record_login(session, email, ip, success=ok)
                if ok and user is not None:
                    account = session.get(User, user.id)
                    # the password may have changed while it was being checked: then it does not count
                    if (
                        account is not None
                        and account.is_active
                        and account.password_hash == user.password_hash
                    ):
                        if rehash is not None:
                            account.password_hash = rehash
                        sid = accounts.start_session(session, account, ip)
            error, status = i18n.gettext("Wrong e-mail or password."), 401
        if sid is None:
            return web.render(
                request,
                "login.html",
                {"next": safe_next(next), "error": error, "email": email},
                status_code=status,
            )
        login_session(request, sid)
        return RedirectResponse(safe_next(next), status_code=303)

    @router.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        """End the session on the server (a POST with the CSRF token: no other site can sign people out)."""
        sid = session_id(request)
        if sid is not None:
            with web.store.transaction(None) as session:
                accounts.end_session(session, sid)
        logout_session(request)
        return RedirectResponse("/login", status_code=303)

    @router.post("/lang", include_in_schema=False)
    def switch_language(
        request: Request, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
    ) -> Response:
        """Remember the chosen language in a cookie and go back to the page."""
        response = RedirectResponse(safe_next(next), status_code=303)
        if lang in i18n.LANGUAGES:
            response.set_cookie(
                i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True, path="/"
            )
        return response

    return router
