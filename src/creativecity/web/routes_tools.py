"""Excel import, report downloads and the index builder.

Each page calls the library of its area (``creativecity.store`` import, ``creativecity.reports``,
``creativecity.index``) and only arranges the results; no computation lives here.
"""

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from creativecity.errors import InputError, InputErrors
from creativecity.store import audit
from creativecity.store.models import AuditEntry
from creativecity.store.workspaces import import_observations
from creativecity.web import i18n
from creativecity.web.app import WebApp
from creativecity.web.security import authenticate, viewer_access, workspace_access
from creativecity.web.uploads import read_upload
from creativecity.web.worker import run_limited

REPORT_FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REPORT_KINDS = ("monitoring", "application")
_index_lock = threading.Lock()


def _errors_by_row(exc: InputError) -> tuple[dict[int, list[str]], list[str]]:
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    by_row: dict[int, list[str]] = {}
    general: list[str] = []
    for e in errors:
        text = f"{e.column}: {e.message}" if e.column else e.message
        if isinstance(e.row, int) and e.row > 1:
            by_row.setdefault(e.row, []).append(text)
        else:
            general.append(str(e))
    return by_row, general


def render_report(workspace: Any, report: Any, kind: str, lang: str, fmt: str) -> bytes:
    """Build a dossier or monitoring report of a DB-backed workspace with the reports library."""
    from creativecity.reports.api import load_registry, render
    from creativecity.reports.build import build_document

    doc = build_document(
        workspace,
        kind,  # type: ignore[arg-type]
        lang,  # type: ignore[arg-type]
        registry=load_registry(),
        monitoring=report.to_dict() if report is not None else None,
    )
    return render(doc, fmt)


def approval_state(session: Session, workspace_id: int, kind: str) -> dict[str, Any] | None:
    """The latest sign-off of a report kind, and whether the data changed after it."""
    entry = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.workspace_id == workspace_id,
            AuditEntry.action == audit.APPROVE,
            AuditEntry.entity_id == kind,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return None
    return {
        "by": entry.actor_email,
        "at": entry.at,
        "changed_since": audit.content_version(session, workspace_id) > entry.id,
    }


class ReportCache:
    """Rendered reports by workspace content version: a PDF takes seconds, a second download none."""

    def __init__(self, size: int = 24) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[Any, ...], bytes] = {}
        self._size = size

    def get(self, key: tuple[Any, ...], make: Any) -> bytes:
        """The bytes for ``key``, made with ``make()`` on a miss."""
        with self._lock:
            hit = self._items.get(key)
        if hit is None:
            hit = make()
            with self._lock:
                if len(self._items) >= self._size:
                    self._items.pop(next(iter(self._items)))
                self._items[key] = hit
        return hit


def routes(web: WebApp) -> APIRouter:
    """The routes of this module, over the shared store and templates of ``web``."""
    router = APIRouter()
    reports = ReportCache()

    @router.get("/w/{name}/import", include_in_schema=False)
    def import_page(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The upload form for a spreadsheet of figures (editors)."""
        access = workspace_access(request, db, name, "editor", page=True)
        ctx = {"access": access, "result": None, "rows": [], "by_row": {}, "general": [], "columns": []}
        return web.render(request, "import.html", ctx, user=access.auth.user)

    @router.post("/w/{name}/import", include_in_schema=False)
    async def import_upload(name: str, request: Request, file: Annotated[UploadFile, File()]) -> Response:
        """Check every row, then import all or nothing; problems are listed next to their rows."""
        data = await file.read()
        filename = file.filename or "upload"

        def work() -> Response:
            upload = None
            try:
                upload = read_upload(filename, data)
                with web.write(request, name, "editor", page=True) as (session, _access):
                    result = import_observations(
                        session,
                        _access.workspace,
                        upload.rows,
                        file=upload.file,
                        letters=upload.letters,
                        lang=upload.lang,
                    )
            except InputError as exc:
                by_row, general = _errors_by_row(exc)
                with web.store.reading() as db:
                    access = workspace_access(request, db, name, "editor", page=True)
                    rows = upload.rows if upload else []
                    columns = list(upload.letters) if upload else []
                    shown = [r for r in rows if r[0] in by_row][:500] if by_row else rows[:50]
                    ctx = {
                        "access": access,
                        "result": None,
                        "rows": shown,
                        "by_row": by_row,
                        "general": general,
                        "columns": columns,
                        "letters": upload.letters if upload else {},
                        "error_count": len(exc.errors) if isinstance(exc, InputErrors) else 1,
                    }
                    return web.render(request, "import.html", ctx, status_code=422, user=access.auth.user)
            with web.store.reading() as db:
                access = workspace_access(request, db, name, "editor", page=True)
                ctx = {
                    "access": access,
                    "result": result,
                    "rows": [],
                    "by_row": {},
                    "general": [],
                    "columns": [],
                }
                return web.render(request, "import.html", ctx, user=access.auth.user)

        return await run_in_threadpool(work)

    @router.get("/w/{name}/import/template.xlsx", include_in_schema=False)
    def import_template(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The monitoring area's bilingual Excel template with this workspace's indicators and units.

        Bilingual (``Số liệu - Observations``, ``Chỉ tiêu / indicator``) because the staff who fill it
        in read Vietnamese; the upload accepts those names as well as the plain ones.
        """
        import dataclasses
        import io

        from creativecity.monitoring.excel import build_workbook

        access = workspace_access(request, db, name, "editor", page=True)
        workspace, _report = web.monitor_cache.get(db, access)
        empty = dataclasses.replace(workspace, observations=[], targets=[], history=[])
        buf = io.BytesIO()
        build_workbook(workspace.framework, empty, bilingual=True, dossier=False).save(buf)
        return Response(
            buf.getvalue(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}-template.xlsx"'},
        )

    @router.get("/w/{name}/reports", include_in_schema=False)
    def reports_page(name: str, request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """Links to every report, kind, language and format."""
        access = viewer_access(request, db, name)
        ctx = {
            "access": access,
            "kinds": REPORT_KINDS,
            "formats": list(REPORT_FORMATS),
            "approvals": {kind: approval_state(db, access.workspace.id, kind) for kind in REPORT_KINDS},
        }
        return web.render(request, "reports.html", ctx, user=access.auth.user)

    @router.post("/w/{name}/reports/{kind}/approve", include_in_schema=False)
    def approve_report(name: str, kind: str, request: Request) -> Response:
        """A workspace admin (the director) signs off the report as the data stand now; audited."""
        if kind not in REPORT_KINDS:
            raise HTTPException(status_code=404, detail="unknown report kind")
        with web.write(request, name, "admin", page=True) as (session, access):
            audit.record(
                session,
                action="approve",
                entity="report",
                workspace_id=access.workspace.id,
                entity_id=kind,
                new_value=f"content version {audit.content_version(session, access.workspace.id)}",
            )
        return RedirectResponse(f"/w/{name}/reports", status_code=303)

    @router.get("/w/{name}/reports/{kind}.{fmt}", include_in_schema=False)
    def report_download(
        name: str,
        kind: str,
        fmt: str,
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        lang: str = "",
    ) -> Response:
        """Build (or reuse, if the data has not changed) a report and send it as a download."""
        access = viewer_access(request, db, name)
        if kind not in REPORT_KINDS or fmt not in REPORT_FORMATS:
            raise HTTPException(status_code=404, detail="unknown report kind or format")
        lang = lang if lang in i18n.LANGUAGES else i18n.current_language()
        cache = web.monitor_cache
        key = (access.workspace.id, cache.version(db, access.workspace.id), kind, lang, fmt)
        try:
            body = reports.get(key, lambda: render_report(*cache.get(db, access), kind, lang, fmt))
        except InputError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        filename = f"{name}-{kind}-{lang}.{fmt}"
        disposition = "inline" if fmt == "html" else "attachment"
        return Response(
            body,
            media_type=REPORT_FORMATS[fmt],
            headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
        )

    @router.get("/index", include_in_schema=False)
    def index_page(request: Request, db: Annotated[Session, Depends(web.db)]) -> Response:
        """The index builder form (signed-in users)."""
        auth = authenticate(request, db)
        if auth is None:
            from creativecity.web.security import LoginRequiredError

            raise LoginRequiredError("/index")
        choice = {"data": "2018", "spec": "full", "top": 20, "intervals": True, "n": 200, "seed": 1}
        choice["spec_text"], choice["spec_base"] = spec_yaml("full"), "full"
        ctx = {"result": None, "error": None, "choice": choice}
        return web.render(request, "index.html", ctx, user=auth.user)

    @router.post("/index", include_in_schema=False)
    def index_build(
        request: Request,
        db: Annotated[Session, Depends(web.db)],
        data: Annotated[str, Form()] = "2018",
        spec: Annotated[str, Form()] = "full",
        top: Annotated[int, Form(ge=1, le=100)] = 20,
        intervals: Annotated[str, Form()] = "",
        n: Annotated[int, Form(ge=10, le=2000)] = 200,
        seed: Annotated[int, Form(ge=0, le=2**31)] = 1,
        spec_text: Annotated[str, Form(max_length=50_000)] = "",
        spec_base: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        """Build the ASEM index with the chosen or edited pipeline, with rank intervals if asked."""
        auth = authenticate(request, db)
        if auth is None:
            from creativecity.web.security import LoginRequiredError

            raise LoginRequiredError("/index")
        choice = {"data": data, "spec": spec, "top": top, "intervals": bool(intervals), "n": n, "seed": seed}
        known = ("full", "simple")
        base = spec_base if spec_base in known else None
        # the text area starts as a copy of a bundled spec: unedited, the spec chosen in the list wins
        edited = bool(spec_text.strip()) and (base is None or spec_text.strip() != spec_yaml(base).strip())
        custom = spec_text if edited else None
        if custom is None:
            choice["spec_text"], choice["spec_base"] = spec_yaml(spec if spec in known else "full"), spec
        else:
            choice["spec_text"], choice["spec_base"] = spec_text, ""
        try:
            if custom is not None:
                # bounded by the safe loader: a bad spec is refused before any worker starts
                parse_spec(custom)
            # in a child process with time and memory limits: a typed-in spec decides the work
            with _index_lock:
                result = run_limited(
                    build_index, data, spec, top, (n, seed) if intervals else None, custom, what="index build"
                )
            error = None
        except (InputError, ValueError, TypeError, KeyError) as exc:  # a typed-in spec can break in many ways
            result, error = None, str(exc)
        ctx = {"result": result, "error": error, "choice": choice}
        return web.render(
            request, "index.html", ctx, status_code=200 if error is None else 422, user=auth.user
        )

    return router


def spec_yaml(which: str) -> str:
    """A bundled ASEM pipeline spec as YAML text, to start editing from."""
    from creativecity.index.examples import asem_spec_yaml

    return asem_spec_yaml(which)


def parse_spec(text: str) -> Any:
    """A pipeline spec from YAML text typed into the page; errors name the line or the field."""
    from creativecity.index.spec import Spec

    return Spec.parse(text, source="spec")


def build_index(
    data: str, spec: str, top: int, intervals: tuple[int, int] | None = None, spec_text: str | None = None
) -> dict[str, Any]:
    """The page's view of :func:`creativecity.index.examples.rank_asem`: the top units and their ranks.

    ``spec_text`` (YAML) replaces the named bundled spec. It runs in a worker process with limits
    (:func:`creativecity.web.worker.run_limited`); the caller runs one build at a time.
    """
    from creativecity.index.examples import asem_choice, asem_spec, rank_asem

    year, spec = asem_choice(data, spec)
    pipeline = parse_spec(spec_text) if spec_text else asem_spec(spec)
    ranking = rank_asem(year, pipeline, top, intervals)
    rows = [
        {
            "unit": r.unit,
            "score": r.score,
            "rank": r.rank,
            "interval": "" if r.q05 is None else f"{r.q05:g}–{r.q95:g} ({_g(r.median or 0)})",
        }
        for r in ranking.rows
    ]
    return {
        "target": ranking.target,
        "rows": rows,
        "units": ranking.units,
        "spec": spec,
        "data": data,
        "intervals": ranking.n is not None,
        "n": ranking.n,
    }


def _g(value: float) -> str:
    return f"{value:g}"
