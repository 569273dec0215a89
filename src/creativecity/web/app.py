"""The web app factory: one shared place where a city's team enters, checks and reports its figures.

Pages are rendered on the server (Jinja2) and made interactive with htmx, served from the package
(no CDN: the app must work on a ministry laptop without internet). The JSON API under ``/api`` has its
OpenAPI description at ``/openapi.json``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creativecity import __version__
from creativecity.errors import InputError, InputErrors
from creativecity.reports.i18n import format_number as reports_format_number
from creativecity.store import Store
from creativecity.store.rows import EditConflictError
from creativecity.web import i18n
from creativecity.web.explain import explain_stale, explain_status
from creativecity.web.pagecache import MonitorCache, PageCache, content_version, reader_key
from creativecity.web.security import (
    Access,
    LoginRequiredError,
    authenticate,
    csrf_guard,
    csrf_token,
    workspace_access,
)

HERE = Path(__file__).parent
SESSION_COOKIE = "cc_session"
MAX_BODY = 25 * 1024 * 1024  # a spreadsheet upload (20 MB at most) and its form; more is refused (413)
SESSION_MAX_AGE = 8 * 3600  # a working day: a forgotten laptop does not stay signed in for weeks


def make_templates() -> Environment:
    """The Jinja environment: autoescaping on (user text with ``<script>`` is shown, never run)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    env.globals["version"] = __version__
    env.filters["fmt"] = format_number
    env.filters["explain_status"] = explain_status
    env.filters["explain_stale"] = explain_stale
    from creativecity.web import vocabulary

    vocabulary.register(env)
    return env


def format_number(value: Any, digits: int = 2) -> str:
    """Numbers as people read them in the page's language: 1,350.5 in English, 1.350,5 in Vietnamese.

    No trailing zeros, at most ``digits`` decimals, empty for missing values. The reports' formatter
    (:func:`creativecity.reports.i18n.format_number`), so it never raises: a bad value stored in the
    database still renders (1e300 as ``1E300``).
    """
    if value is not None and not isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, str) and value:
        return value
    return reports_format_number(value, digits, i18n.current_language())


class WebApp:
    """What the route modules share: the store, the templates and rendering helpers."""

    def __init__(self, store: Store, templates: Environment) -> None:
        self.store = store
        self.templates = templates
        self.pages = PageCache()
        self.monitor_cache = MonitorCache()
        """The workspaces and monitoring reports the pages share, per content version."""

    def cached(self, request: Request, db: Session, access: Access, make: Callable[[], Response]) -> Response:
        """A workspace page answered from memory while the workspace's content is unchanged.

        See :mod:`creativecity.web.pagecache`: rendered once per reader and content version.
        """
        version = access.version if access.version is not None else content_version(db, access.workspace.id)
        key = (*reader_key(request, access), version)
        return self.pages.answer(key, make)

    def db(self) -> Iterator[Session]:
        """Dependency: a read session for the request."""
        with self.store.reading() as session:
            yield session

    @contextmanager
    def write(
        self, request: Request, name: str, need: str = "editor", *, page: bool = False
    ) -> Iterator[tuple[Session, Access]]:
        """Check the user's role on ``name``, then make the change as them in one transaction.

        The checks (session or token, role) read in a session of their own, so on SQLite the
        database's write lock (``BEGIN IMMEDIATE``) is held only around the change itself, for
        milliseconds, and never while a request authenticates.
        """
        with self.store.reading() as db:
            access = workspace_access(request, db, name, need, page=page)
        with self.store.transaction(access.auth.actor) as session:
            yield session, access

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        status_code: int = 200,
        user: Any = None,
    ) -> HTMLResponse:
        """Render a page with what every page needs (language, CSRF token, user, current path)."""
        ctx = {
            "request": request,
            "lang": i18n.current_language(),
            "csrf_token": csrf_token(request),
            "user": user,
            "path": request.url.path,
            "query": request.url.query,
        }
        ctx.update(context or {})
        html = self.templates.get_template(template).render(ctx)
        return HTMLResponse(html, status_code=status_code)


class LanguageAndHeaders:
    """Pure ASGI middleware: pick the request's language and add security headers to every answer.

    Written as plain ASGI rather than with ``@app.middleware`` because the latter wraps every request
    in an extra task and stream, which costs about a millisecond per request under load.
    """

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        # scripts only from the app itself (htmx); inline styles for progress bars and htmx's own
        # indicator style; images may be data: URIs (the HTML reports embed their charts)
        (
            b"content-security-policy",
            b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("query_string", b"") + scope.get("raw_path", b"") + scope.get("path", "").encode()
        if b"%00" in raw or b"\x00" in raw:  # PostgreSQL cannot hold NUL; no valid URL needs it
            await PlainTextResponse("NUL characters are not allowed in URLs", status_code=400)(
                scope, receive, send
            )
            return
        headers = Headers(scope=scope)
        cookie = cookie_parser(headers.get("cookie", "")).get(i18n.COOKIE)
        i18n.set_language(i18n.pick_language(cookie, headers.get("accept-language")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {k.lower() for k, _ in message["headers"]}
                message["headers"] = [*message["headers"], *(h for h in self.HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def create_app(
    database_url: str | None = None,
    *,
    secret_key: str | None = None,
    secure_cookies: bool = False,
    migrate: bool = True,
    load_bundled: bool = True,
    store: Store | None = None,
) -> FastAPI:
    """Build the web app on a database.

    Parameters
    ----------
    database_url
        SQLAlchemy URL (SQLite file or ``postgresql+psycopg://``); default: the laptop SQLite file.
    secret_key
        Signs the session cookies. Without one a random key is made, so sessions end with the process;
        ``creativecity serve`` keeps a key in the data folder so that restarts and workers share it.
    secure_cookies
        Mark cookies ``Secure`` (set when served over https).
    migrate, load_bundled
        Bring the schema up to date, and load the bundled ``hanoi`` workspace into an empty database
        (through :func:`creativecity.store.open_store`, as the command line does).
    store
        An open store to use instead of ``database_url`` (tests).
    """
    if store is None and migrate:
        from creativecity.store.home import open_store

        # the one entry of every program: migrated, hanoi on first use, old workspace folders moved in
        store = open_store(database_url, bootstrap=load_bundled)
    elif store is None:
        store = Store(database_url)
    else:
        if migrate:
            from creativecity.store import migrate as run_migrations

            run_migrations(store.url, engine=store.engine)
        if load_bundled:
            from creativecity.store.bootstrap import load_bundled as bootstrap

            bootstrap(store)

    app = FastAPI(
        title="creativecity",
        version=__version__,
        description="Evidence and reports for UNESCO Creative Cities: the team's shared workspace.",
        dependencies=[Depends(csrf_guard)],
        # the interactive docs pages load their scripts from a CDN; the app serves nothing from outside
        docs_url=None,
        redoc_url=None,
        max_body_size=MAX_BODY,
    )
    web = WebApp(store, make_templates())
    app.state.web = web
    app.state.store = store

    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key or secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(LanguageAndHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(LoginRequiredError)
    async def _login_required(request: Request, exc: LoginRequiredError) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        with store.reading() as session:
            try:
                auth = authenticate(request, session)
            except HTTPException:
                auth = None
            return web.render(
                request,
                "error.html",
                {"status": exc.status_code, "detail": exc.detail},
                status_code=exc.status_code,
                user=auth.user if auth else None,
            )

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        return JSONResponse({"detail": str(exc), "errors": [e.to_dict() for e in errors]}, status_code=422)

    @app.exception_handler(EditConflictError)
    async def _conflict(request: Request, exc: EditConflictError) -> Response:
        # a change made from an older version: nothing saved, the caller sees who changed what
        return JSONResponse(exc.to_dict(), status_code=412)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
        return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)

    from creativecity.web import (
        routes_account,
        routes_api,
        routes_auth,
        routes_dossier,
        routes_goal,
        routes_network,
        routes_pages,
        routes_plan,
        routes_register,
        routes_targets,
        routes_team,
        routes_tools,
    )

    app.include_router(routes_auth.routes(web))
    app.include_router(routes_api.routes(web))
    app.include_router(routes_pages.routes(web))
    app.include_router(routes_network.routes(web))
    app.include_router(routes_tools.routes(web))
    app.include_router(routes_team.routes(web))
    app.include_router(routes_account.routes(web))
    app.include_router(routes_targets.routes(web))
    app.include_router(routes_plan.routes(web))
    app.include_router(routes_register.routes(web))
    app.include_router(routes_dossier.routes(web))
    app.include_router(routes_goal.routes(web))
    return app
