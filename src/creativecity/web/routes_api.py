"""The JSON API (CONTRACTS.md §4), described at ``/openapi.json``.

Reads need a role on the workspace; writes need the editor or admin role and either the session's
CSRF token (browser) or an API token (scripts). A refused request changes nothing.
"""

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.monitoring.model import Observation
from creativecity.monitoring.rules import YEAR_MAX, YEAR_MIN
from creativecity.store import accounts, audit, models, rows
from creativecity.store.workspaces import get_observation
from creativecity.web.app import WebApp
from creativecity.web.pagecache import content_version
from creativecity.web.security import authenticate, viewer_access


class ObservationIn(BaseModel):
    """A new observation (the columns of the workspace's ``observations.csv``)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="Leave empty to get the next free id (obs-0042).")
    indicator: str = Field(..., description="An indicator code defined in the workspace.")
    scope: str = Field(..., description="Whose figure: the city (Hanoi) or national context (Viet Nam).")
    value: float
    unit: str = Field(..., description="A unit known to the workspace.")
    reference_year: int | None = None
    reference_year_note: str = ""
    method: str = ""
    source: str = Field(..., description="URL or citation where the figure was read (required).")
    note: str = ""
    certainty: str = "reported"
    preferred: bool | None = None


class ObservationChange(BaseModel):
    """Fields to change in an observation; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    indicator: str | None = None
    scope: str | None = None
    value: float | None = None
    unit: str | None = None
    reference_year: int | None = None
    reference_year_note: str | None = None
    method: str | None = None
    source: str | None = None
    note: str | None = None
    certainty: str | None = None
    preferred: bool | None = None


_OBS_FIELDS = tuple(f.name for f in dataclasses.fields(Observation) if f.name != "id")


def _obs_json(row: models.Observation) -> dict[str, Any]:
    """A figure as the domain's ``Observation.to_dict()`` has it, plus its ``version`` (the ETag)."""
    return {"id": row.key} | {f: getattr(row, f) for f in _OBS_FIELDS} | {"version": row.version}


def etag(row: Any) -> str:
    """The ``ETag`` of a figure: its version, which every change raises."""
    return f'"v{row.version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names; ``None`` when absent or ``*`` (no check).

    A client that sends no ``If-Match`` is accepted (PATCH changes only the fields it sends); one that
    sends the ETag it read gets 412 if the figure changed since, instead of overwriting that change.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.startswith("v") or not tag[1:].isdigit():
        raise HTTPException(status_code=412, detail=f"If-Match {if_match!r} is not an ETag of this API")
    return int(tag[1:])


def _list_key(request: Request, db: Session, access: Any) -> tuple[Any, ...]:
    """A list answer is the same for every member: kept per path, query and content version."""
    version = access.version if access.version is not None else content_version(db, access.workspace.id)
    return ("api", request.url.path, request.url.query, version)


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()

    @router.get("/api/network/summary", tags=["network"])
    def network_summary(
        as_of: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None,
    ) -> dict[str, Any]:
        """The network as it stood after the round of ``as_of``: the JSON of ``network summary --json``."""
        from creativecity.network.registry import Registry
        from creativecity.network.summary import summary

        return summary(Registry.load(), as_of).to_dict()

    @router.get("/api/workspaces", tags=["workspaces"])
    def list_workspaces(request: Request, db: Annotated[Session, Depends(web.db)]) -> dict[str, Any]:
        """The workspaces the caller may open, with the caller's role on each."""
        auth = authenticate(request, db)
        if auth is None:
            raise HTTPException(status_code=401, detail="sign in first")
        spaces = accounts.workspaces_of(db, auth.user)
        return {"workspaces": [{"name": w.name, "city": w.city, "role": role} for w, role in spaces]}

    @router.get("/api/workspaces/{name}/observations", tags=["workspaces"])
    def get_observations(
        name: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        indicator: str | None = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
        cursor: Annotated[int | None, Query(ge=0, description="`next_cursor` of the previous page")] = None,
    ) -> JSONResponse:
        """A workspace's observations in the order they were added, ``limit`` at a time.

        Needs a role (viewer, editor or admin) on the workspace. ``next_cursor`` is ``null`` on the
        last page; pass it as ``cursor`` for the next one. Each figure carries its ``version`` (the
        ETag to send as ``If-Match`` when changing it).
        """
        access = viewer_access(request, db, name, page=False)
        return web.pages.answer(
            _list_key(request, db, access), lambda: _observations(db, access, indicator, limit, cursor)
        )

    def _observations(
        db: Session, access: Any, indicator: str | None, limit: int, cursor: int | None
    ) -> JSONResponse:
        obs = models.Observation
        stmt = select(obs).where(obs.workspace_id == access.workspace.id)
        if indicator is not None:
            stmt = stmt.where(obs.indicator == indicator)
        if cursor is not None:
            stmt = stmt.where(obs.id > cursor)
        found = list(db.scalars(stmt.order_by(obs.id).limit(limit + 1)))
        page = found[:limit]
        # plain JSON values already: answered as they are, without FastAPI's generic encoder
        return JSONResponse(
            {
                "workspace": access.workspace.name,
                "observations": [_obs_json(r) for r in page],
                "next_cursor": page[-1].id if len(found) > limit else None,
            }
        )

    @router.get("/api/workspaces/{name}/observations/{obs_id}", tags=["workspaces"])
    def get_one_observation(
        name: str, obs_id: str, request: Request, response: Response, db: Annotated[Session, Depends(web.db)]
    ) -> dict[str, Any]:
        """One figure, with its version as the ``ETag`` header (send it back as ``If-Match``)."""
        access = viewer_access(request, db, name, page=False)
        row = get_observation(db, access.workspace, obs_id)
        response.headers["ETag"] = etag(row)
        return _obs_json(row)

    @router.post("/api/workspaces/{name}/observations", status_code=201, tags=["workspaces"])
    def post_observation(
        name: str, request: Request, response: Response, body: ObservationIn
    ) -> dict[str, Any]:
        """Add an observation; needs the editor or admin role, and a CSRF token or an API token."""
        data = body.model_dump()
        if not data.get("id"):
            data["id"] = ""
        with web.write(request, name, "editor") as (session, access):
            row = rows.add_observation(session, name, data, access.auth.actor.email, file="api")
        response.headers["ETag"] = etag(row)
        return _obs_json(row)

    @router.patch("/api/workspaces/{name}/observations/{obs_id}", tags=["workspaces"])
    def patch_observation(
        name: str,
        obs_id: str,
        request: Request,
        response: Response,
        body: Annotated[ObservationChange, Body()],
        if_match: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Change fields of an observation (editor or admin); each changed field is audited.

        With ``If-Match`` (the ETag read), a figure changed since is not overwritten: 412, with who
        changed it, when, and its current values. Without ``If-Match`` the change is applied.
        """
        changes = body.model_dump(exclude_unset=True)
        if not changes:
            raise HTTPException(status_code=422, detail="no field to change")
        expected = expected_version(if_match)
        with web.write(request, name, "editor") as (session, access):
            row = rows.update_observation(
                session, name, obs_id, changes, access.auth.actor.email, file="api", expected_version=expected
            )
        response.headers["ETag"] = etag(row)
        return _obs_json(row)

    @router.post("/api/workspaces/{name}/observations/{obs_id}/preferred", tags=["workspaces"])
    def prefer_observation(name: str, obs_id: str, request: Request, response: Response) -> dict[str, Any]:
        """Mark one figure as the preferred among conflicting ones (same series and year)."""
        with web.write(request, name, "editor") as (session, access):
            row = rows.set_preferred(session, name, obs_id, access.auth.actor.email)
        response.headers["ETag"] = etag(row)
        return _obs_json(row)

    @router.get("/api/workspaces/{name}/monitor", tags=["workspaces"])
    def get_monitor(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> dict[str, Any]:
        """Progress against targets, evidence per pillar, conflicts, stale figures (``monitor --json``)."""
        access = viewer_access(request, db, name, page=False)
        _workspace, report = web.monitor_cache.get(db, access)
        if report is None:
            raise HTTPException(status_code=503, detail="monitoring is not available")
        return report.to_dict()

    @router.get("/api/workspaces/{name}/audit", tags=["workspaces"])
    def get_audit(
        name: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        indicator: str | None = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 200,
        cursor: Annotated[int | None, Query(ge=0, description="`next_cursor` of the previous page")] = None,
    ) -> JSONResponse:
        """The workspace's audit trail, newest first, optionally of one indicator, ``limit`` at a time."""
        access = viewer_access(request, db, name, page=False)
        return web.pages.answer(
            _list_key(request, db, access), lambda: _audit(db, access, indicator, limit, cursor)
        )

    def _audit(
        db: Session, access: Any, indicator: str | None, limit: int, cursor: int | None
    ) -> JSONResponse:
        found = audit.entries(db, access.workspace.id, indicator=indicator, limit=limit + 1, before=cursor)
        entries = found[:limit]
        return JSONResponse(
            {
                "next_cursor": entries[-1].id if len(found) > limit else None,
                "workspace": access.workspace.name,
                "entries": [
                    {
                        "at": e.at.isoformat(timespec="seconds") + "Z",
                        "actor": e.actor_email,
                        "action": e.action,
                        "entity": e.entity,
                        "entity_id": e.entity_id,
                        "indicator": e.indicator,
                        "field": e.field,
                        "old_value": e.old_value,
                        "new_value": e.new_value,
                    }
                    for e in entries
                ],
            }
        )

    return router
