"""Whole answers kept per reader and content version, so busy pages cost a few indexed look-ups.

A page of a workspace changes only when its content does, and every change writes an audit entry: the
workspace's newest audit id is its content version (one index look-up). A page is rendered once per
version and per reader (account, role, language, session token: the page carries the session's CSRF
token and the reader's name, so readers never share an entry) and answered from memory after that. A
change shows at once: the version moves on and the old entries are never asked for again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from creativecity.store import audit
from creativecity.web import i18n
from creativecity.web.security import csrf_token

MAX_BYTES = 64 * 1024 * 1024
"""Memory the kept answers may take; the least recently used go first."""


class PageCache:
    """A least-recently-used store of rendered answers, bounded in bytes, safe across threads."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[bytes, str | None]] = OrderedDict()
        self._bytes = 0
        self.max_bytes = max_bytes

    def answer(self, key: Hashable, make: Callable[[], Response]) -> Response:
        """The kept answer for ``key``, else ``make()`` (kept when it is a 200 with a body)."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is not None:
            return Response(content=hit[0], media_type=hit[1])
        response = make()
        body = getattr(response, "body", None)
        if response.status_code == 200 and isinstance(body, bytes) and len(body) <= self.max_bytes // 8:
            with self._lock:
                old = self._items.pop(key, None)
                self._bytes -= len(old[0]) if old else 0
                self._items[key] = (body, response.media_type)
                self._bytes += len(body)
                while self._bytes > self.max_bytes and self._items:
                    _key, (dropped, _type) = self._items.popitem(last=False)
                    self._bytes -= len(dropped)
        return response

    def __len__(self) -> int:
        return len(self._items)


def content_version(session: Session, workspace_id: int) -> int:
    """The key of a workspace's cached pages: the store's content version, sign-offs included.

    The rule is the store's (:func:`creativecity.store.audit.content_version`); pages show the
    sign-offs, so a new sign-off must also retire the pages rendered before it.
    """
    return audit.content_version(session, workspace_id, with_signoffs=True)


def reader_key(request: Request, access: Any) -> tuple[Any, ...]:
    """What makes a page differ between readers: who, with which role, language and session token."""
    user = access.auth.user
    return (
        request.url.path,
        request.url.query,
        user.id,
        user.email,
        user.display_name,
        user.is_admin,
        access.role,
        csrf_token(request),
        i18n.current_language(),
    )
