"""The JSON API (CONTRACTS.md §4), described at ``/openapi.json``.

Reads need a role on the workspace; writes need the editor or admin role and either the session's
CSRF token (browser) or an API token (scripts). A refused request changes nothing.
"""

from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from creativecity.monitoring import repository as mrepo
from creativecity.monitoring.rules import YEAR_MAX, YEAR_MIN
from creativecity.store import accounts, audit
from creativecity.store import repository as repo
from creativecity.store.workspaces import list_observations, observation_to_domain
from creativecity.web.app import WebApp
from creativecity.web.security import authenticate, workspace_access


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


def _obs_json(obs: Any) -> dict[str, Any]:
    return obs.to_dict()


def register(app: FastAPI, web: WebApp) -> None:
    """Add the routes of this module to ``app``."""

    @app.get("/api/network/summary", tags=["network"])
    def network_summary(
        as_of: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None,
    ) -> dict[str, Any]:
        """The network as it stood after the round of ``as_of``: the JSON of ``network summary --json``."""
        from creativecity.network.registry import Registry
        from creativecity.network.summary import summary

        return summary(Registry.load(), as_of).to_dict()

    @app.get("/api/workspaces", tags=["workspaces"])
    def list_workspaces(request: Request, db: Annotated[Session, Depends(web.db)]) -> dict[str, Any]:
        """The workspaces the caller may open, with the caller's role on each."""
        auth = authenticate(request, db)
        if auth is None:
            raise HTTPException(status_code=401, detail="sign in first")
        spaces = accounts.workspaces_of(db, auth.user)
        return {"workspaces": [{"name": w.name, "city": w.city, "role": role} for w, role in spaces]}

    @app.get("/api/workspaces/{name}/observations", tags=["workspaces"])
    def get_observations(
        name: str, request: Request, db: Annotated[Session, Depends(web.db)], indicator: str | None = None
    ) -> dict[str, Any]:
        """A workspace's observations; needs a role (viewer, editor or admin) on the workspace."""
        access = workspace_access(request, db, name, "viewer")
        rows = list_observations(db, access.workspace, indicator)
        return {"workspace": name, "observations": [observation_to_domain(r).to_dict() for r in rows]}

    @app.post("/api/workspaces/{name}/observations", status_code=201, tags=["workspaces"])
    def post_observation(name: str, request: Request, body: ObservationIn) -> dict[str, Any]:
        """Add an observation; needs the editor or admin role, and a CSRF token or an API token."""
        data = body.model_dump()
        if not data.get("id"):
            data["id"] = ""
        with web.write(request, name, "editor") as (session, _access):
            obs = repo.add_observation(session, name, data, file="api")
        return _obs_json(obs)

    @app.patch("/api/workspaces/{name}/observations/{obs_id}", tags=["workspaces"])
    def patch_observation(
        name: str, obs_id: str, request: Request, body: Annotated[ObservationChange, Body()]
    ) -> dict[str, Any]:
        """Change fields of an observation (editor or admin); each changed field is audited."""
        changes = body.model_dump(exclude_unset=True)
        if not changes:
            raise HTTPException(status_code=422, detail="no field to change")
        with web.write(request, name, "editor") as (session, _access):
            obs = repo.update_observation(session, name, obs_id, changes, file="api")
        return _obs_json(obs)

    @app.post("/api/workspaces/{name}/observations/{obs_id}/preferred", tags=["workspaces"])
    def prefer_observation(name: str, obs_id: str, request: Request) -> dict[str, Any]:
        """Mark one figure as the preferred among conflicting ones (same series and year)."""
        with web.write(request, name, "editor") as (session, _access):
            obs = repo.change(
                session, name, lambda ws: mrepo.apply_set_preferred(ws, obs_id, _access.auth.user.email)
            )
        return _obs_json(obs)

    @app.get("/api/workspaces/{name}/monitor", tags=["workspaces"])
    def get_monitor(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> dict[str, Any]:
        """Progress against targets, evidence per pillar, conflicts, stale figures (``monitor --json``)."""
        access = workspace_access(request, db, name, "viewer")
        _workspace, report = app.state.monitor_cache.get(db, access)
        if report is None:
            raise HTTPException(status_code=503, detail="monitoring is not available")
        return report.to_dict()

    @app.get("/api/workspaces/{name}/audit", tags=["workspaces"])
    def get_audit(
        name: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        indicator: str | None = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    ) -> dict[str, Any]:
        """The workspace's audit trail, newest first, optionally of one indicator."""
        access = workspace_access(request, db, name, "viewer")
        rows = audit.entries(db, access.workspace.id, indicator=indicator, limit=limit)
        return {
            "workspace": name,
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
                for e in rows
            ],
        }
