"""A person's own account: change the password, issue and revoke API tokens for scripts.

Both are recorded in the audit trail (without the secrets), so a token that wrote figures can be traced
to the person who issued it and to when it was revoked.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.store import accounts, audit
from creativecity.store.models import ApiToken
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.security import Auth, LoginRequiredError, authenticate, client_ip, login_session


def _signed_in(request: Request, db: Session, *, session_only: bool = False) -> Auth:
    """The signed-in user; ``session_only`` refuses API tokens (403).

    Changing the password and issuing tokens need a browser session (and so its CSRF token, which
    the app-wide guard checks): a stolen token must not mint more tokens or lock its owner out.
    """
    auth = authenticate(request, db)
    if auth is None:
        raise LoginRequiredError("/account")
    if session_only and auth.via != "session":
        raise HTTPException(status_code=403, detail="sign in with a password for this; an API token cannot")
    return auth


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    def page(request: Request, auth: Auth, db: Session, **extra: object) -> Response:
        tokens = db.scalars(select(ApiToken).where(ApiToken.user_id == auth.user.id).order_by(ApiToken.id))
        ctx: dict[str, object] = {"tokens": list(tokens), "new_token": None, "message": None, "error": None}
        ctx.update(extra)
        status = 422 if ctx["error"] else 200
        return web.render(request, "account.html", ctx, status_code=status, user=auth.user)

    @router.get("/account", include_in_schema=False)
    def account_page(request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The signed-in person's password form and API tokens."""
        return page(request, _signed_in(request, db), db)

    @router.post("/account/password", include_in_schema=False)
    def change_password(
        request: Request,
        current: Annotated[str, Form(max_length=1000)],
        new: Annotated[str, Form(max_length=1000)],
        repeat: Annotated[str, Form(max_length=1000)],
    ) -> Response:
        """Change one's own password (the current one is asked again); other sessions and all tokens end."""
        error = None
        with web.store.reading() as db:
            signed = _signed_in(request, db, session_only=True)
        right, _rehash = accounts.check_password(signed.user, current)  # outside any write transaction
        with web.store.transaction(None) as session:
            auth = _signed_in(request, session, session_only=True)
            audit.set_actor(session, auth.actor)
            if not right or auth.user.id != signed.user.id:
                error = i18n.gettext("The current password is wrong.")
            elif new != repeat:
                error = i18n.gettext("The two new passwords differ.")
            else:
                try:
                    accounts.set_password(session, auth.user, new)
                except InputError as exc:
                    error = exc.message
                else:
                    audit.record(
                        session,
                        action="update",
                        entity="account",
                        entity_id=auth.user.email,
                        field="password",
                    )
                    # every session ended with the password: this browser gets a new one
                    login_session(request, accounts.start_session(session, auth.user, client_ip(request)))
        with web.store.reading() as db:
            auth = _signed_in(request, db)
            message = None if error else i18n.gettext("Password changed.")
            return page(request, auth, db, error=error, message=message)

    @router.post("/account/tokens", include_in_schema=False)
    def new_token(request: Request, name: Annotated[str, Form(max_length=200)] = "") -> Response:
        """Issue an API token; it is shown once and only its digest is stored."""
        with web.store.transaction(None) as session:
            auth = _signed_in(request, session, session_only=True)
            audit.set_actor(session, auth.actor)
            token = accounts.create_token(session, auth.user, name.strip() or "script")
            audit.record(
                session, action="create", entity="api_token", entity_id=auth.user.email, new_value=name
            )
        with web.store.reading() as db:
            return page(request, _signed_in(request, db), db, new_token=token)

    @router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
    def revoke_token(token_id: int, request: Request) -> Response:
        """Revoke one of one's own tokens (someone else's id is ignored)."""
        with web.store.transaction(None) as session:
            auth = _signed_in(request, session)
            audit.set_actor(session, auth.actor)
            row = session.get(ApiToken, token_id)
            if row is not None and row.user_id == auth.user.id and not row.revoked:
                row.revoked = True
                audit.record(
                    session,
                    action="delete",
                    entity="api_token",
                    entity_id=auth.user.email,
                    old_value=row.name,
                )
        return RedirectResponse("/account", status_code=303)

    return router
