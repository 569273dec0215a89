"""The index builder's "What it would take" page: a goal-seeking plan on the bundled ASEM index.

The page calls the engine's goal-seeking library (``creativecity.index.goal``) and shows the rows of
:func:`creativecity.index.goal.what_it_would_take`, the same table data the reports print; no
computation lives here. (No ``from __future__ import annotations``: FastAPI must evaluate
``Depends(web.db)``, which names a variable of :func:`register`.)
"""

import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from creativecity.errors import InputError
from creativecity.web.app import WebApp
from creativecity.web.security import authenticate

#: One plan at a time: a plan costs hundreds of index rebuilds, the machine is shared.
_goal_lock = threading.Lock()


def plan_for_asem(
    unit: str, rank: int, *, data: str = "2018", spec: str = "full", only: str = "", odds_n: int = 0
) -> dict[str, Any]:
    """A plan for ``unit`` to reach ``rank`` on the bundled ASEM index (table data for the page).

    ``only``: comma-separated indicator codes that may move (empty: all); ``odds_n`` > 0 adds the
    odds over that many replications of the bundled ASEM assumptions (seed 1).
    """
    import dataclasses

    from creativecity.index import build
    from creativecity.index.examples import asem, asem_assumptions_path, asem_choice, asem_spec
    from creativecity.index.goal import goal, plan_odds, what_it_would_take

    year, spec = asem_choice(data, spec)
    codes = [c.strip() for c in only.split(",") if c.strip()] or None
    with _goal_lock:
        framework, unit_data = asem(year)
        results = build(framework, unit_data, asem_spec(spec))
        plan = goal(results, unit.strip().upper(), target_rank=rank, only=codes)
        if odds_n:
            plan = dataclasses.replace(plan, odds=plan_odds(plan, results, asem_assumptions_path(), odds_n))
    return what_it_would_take(plan)


def register(app: FastAPI, web: WebApp) -> None:
    """Add ``/index/goal`` (form and result) to ``app``."""

    def _signed_in(request: Request, db: Session) -> Any:
        auth = authenticate(request, db)
        if auth is None:
            from creativecity.web.security import LoginRequiredError

            raise LoginRequiredError("/index/goal")
        return auth

    @app.get("/index/goal", include_in_schema=False)
    def goal_page(request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The form: unit, target rank, indicators that may move, odds."""
        auth = _signed_in(request, db)
        choice = {
            "unit": "VNM",
            "rank": 20,
            "data": "2018",
            "spec": "full",
            "only": "",
            "odds": False,
            "n": 200,
        }
        return web.render(
            request, "index_goal.html", {"plan": None, "error": None, "choice": choice}, user=auth.user
        )

    @app.post("/index/goal", include_in_schema=False)
    def goal_run(
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        unit: Annotated[str, Form(max_length=20)] = "VNM",
        rank: Annotated[int, Form(ge=1, le=1000)] = 20,
        data: Annotated[str, Form()] = "2018",
        spec: Annotated[str, Form()] = "full",
        only: Annotated[str, Form(max_length=2000)] = "",
        odds: Annotated[str, Form()] = "",
        n: Annotated[int, Form(ge=10, le=2000)] = 200,
    ) -> Response:
        """Compute the plan (and its odds when asked) and show it under the form."""
        auth = _signed_in(request, db)
        choice = {
            "unit": unit,
            "rank": rank,
            "data": data,
            "spec": spec,
            "only": only,
            "odds": bool(odds),
            "n": n,
        }
        try:
            plan, error = (
                plan_for_asem(unit, rank, data=data, spec=spec, only=only, odds_n=n if odds else 0),
                None,
            )
        except InputError as exc:
            plan, error = None, str(exc)
        ctx = {"plan": plan, "error": error, "choice": choice}
        return web.render(
            request, "index_goal.html", ctx, status_code=200 if error is None else 422, user=auth.user
        )
