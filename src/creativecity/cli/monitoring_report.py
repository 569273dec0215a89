"""``creativecity monitor``: the monitoring report as tables, in English or Vietnamese.

A command-line module: it only prints a
:class:`~creativecity.monitoring.progress.MonitoringReport`. Labels, statuses, units, dates and numbers
come from the reports' catalogs and Babel (:class:`creativecity.reports.i18n.Text`), so that the
command and the documents use one vocabulary; names of indicators, of the city and of the country come
from the workspace. The city's own targets are listed apart from the national ones, which are context.
"""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console
from rich.table import Table

from creativecity.monitoring.model import Workspace
from creativecity.monitoring.progress import MonitoringReport, TargetProgress
from creativecity.monitoring.progress_rules import STALE_YEARS

STATUS_STYLE = {
    "achieved": "bold green",
    "on track": "green",
    "at risk": "yellow",
    "off track": "red",
    "missed": "bold red",
    "no trend": "magenta",
    "no recent data": "magenta",
    "no comparable series": "magenta",
    "no data": "dim",
}

#: Labels the reports' catalog does not hold (command-line only), per language.
_EXTRA: dict[str, dict[str, str]] = {
    "vi": {
        "progress": "{city}: tiến độ thực hiện tính đến năm {year}",
        "city_targets": "Chỉ tiêu của Thành phố",
        "national_targets": "Chỉ tiêu quốc gia (bối cảnh, không tính là chỉ tiêu của Thành phố)",
        "district_targets": "Chỉ tiêu cấp quận, huyện",
        "none": "Chưa có chỉ tiêu nào; hãy thêm vào tệp targets.csv hoặc trang Mục tiêu rồi chạy "
        "`creativecity workspace import`.",
        "definition": "định nghĩa",
        "pillars": "Mức độ bao phủ theo trụ cột",
        "of_which": "trong đó của {city}",
        "gap": "THIẾU DỮ LIỆU",
        "conflicts": "Số liệu mâu thuẫn",
        "resolved": "đã chọn",
        "yes": "có",
        "no": "chưa",
        "stale": "Số liệu cũ (hơn {years} năm) hoặc không rõ năm",
        "why": "lý do",
        "undated": "số liệu không rõ năm",
        "old": "số liệu mới nhất đã {age} năm",
        "trends": "Xu hướng (không có chỉ tiêu)",
        "first": "đầu tiên",
        "change": "thay đổi mỗi năm",
        "growth": "tăng trưởng mỗi năm",
        "passed": "đã qua năm chỉ tiêu",
        "by": "vào năm",
        "summary": "Thành phố: {city}. Quốc gia (bối cảnh): {national}.",
        "stale_mark": "cũ",
        "preferred": "được chọn",
        "profile_title": "{city} trong {framework} (tính đến năm {year})",
        "item": "Mục",
        "kind": "Loại",
        "figures": "Số liệu (mới nhất, nguồn)",
        "missing": "chưa có số liệu",
        "unverified": "chưa kiểm chứng",
        "source": "nguồn",
        "level": "Cấp",
        "code": "Mã",
        "name": "Tên",
        "parent": "Thuộc",
        "weight": "Trọng số",
        "verified": "Đã kiểm chứng",
    },
    "en": {
        "progress": "{city}: progress as of {year}",
        "city_targets": "The city's targets",
        "national_targets": "National targets (context, not counted as the city's)",
        "district_targets": "District targets",
        "none": "Targets: none recorded; add them to the workspace's targets.csv or the Targets sheet and "
        "`creativecity workspace import`.",
        "definition": "definition",
        "pillars": "Pillars coverage",
        "of_which": "of which {city}",
        "gap": "GAP: no data",
        "conflicts": "Conflicts",
        "resolved": "resolved",
        "yes": "yes",
        "no": "no",
        "stale": "Stale (older than {years} years) or undated",
        "why": "why",
        "undated": "undated figure",
        "old": "latest figure is {age} years old",
        "trends": "Trends (no target)",
        "first": "first",
        "change": "change/yr",
        "growth": "growth/yr",
        "passed": "year passed",
        "by": "by",
        "summary": "City: {city}. National (context): {national}.",
        "stale_mark": "stale",
        "preferred": "preferred",
        "profile_title": "{city} in {framework} (as of {year})",
        "item": "item",
        "kind": "kind",
        "figures": "figures (latest, source)",
        "missing": "missing",
        "unverified": "unverified",
        "source": "source",
        "level": "level",
        "code": "code",
        "name": "name",
        "parent": "parent",
        "weight": "weight",
        "verified": "verified",
    },
}


def default_lang() -> str:
    """``vi`` when the system locale is Vietnamese (``LANG=vi_VN.UTF-8``), else ``en``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


class Labels:
    """Everything the printed report says, in one language."""

    def __init__(self, lang: str, ws: Workspace | None = None) -> None:
        from creativecity.reports.i18n import Text

        self.lang = lang if lang in _EXTRA else "en"
        self.t = Text(self.lang)
        self.ws = ws
        self.extra = _EXTRA[self.lang]

    def __call__(self, key: str, **kw: Any) -> str:
        return self.extra[key].format(**kw)

    def col(self, key: str) -> str:
        return self.t("col." + key)

    def status(self, status: str) -> str:
        return self.t.maybe("status." + status, status)

    def unit(self, unit: str) -> str:
        return self.t.maybe("unit." + unit.replace("%", "pct"), unit) if unit else ""

    def number(self, value: float | None) -> str:
        if value is None:
            return "–"
        digits = 0 if abs(value) >= 1000 else 2
        return self.t.number(value, digits)

    def change(self, value: float | None, unit: str) -> str:
        return "–" if value is None else self.t.change(value, unit)

    def definition(self, method: str) -> str:
        return self.t.maybe("definition." + method, method)

    def indicator(self, code: str, fallback: str) -> str:
        ind = self.ws.indicator(code) if self.ws is not None else None
        return ind.name(self.lang) if ind is not None else fallback

    def scope(self, scope: str, level: str) -> str:
        if self.ws is None:
            return scope
        if level == "city":
            return self.ws.city_name(self.lang)
        if level == "national" and self.ws.country_iso3:
            return self.t.country(self.ws.country_iso3)
        return scope

    def bounded(self, value: float | None, bound: str, high: float | None = None) -> str:
        from creativecity.monitoring.series import format_bound

        if value is None:
            return "–"
        return format_bound(
            self.number(value), bound, self.number(high) if high is not None else "", self.lang
        )


def print_report(
    report: MonitoringReport, out: Console | None = None, lang: str = "en", ws: Workspace | None = None
) -> None:
    """The monitoring report as rich tables (used by ``monitor`` and the demo)."""
    from creativecity.cli._support import console

    con = out or console
    lab = Labels(lang, ws)

    def show(renderable: object) -> None:
        # Off a terminal (pipes, files) rich would wrap at 80 columns; a wide fixed width reads better.
        if con.is_terminal:
            con.print(renderable)
        else:
            Console(width=170, file=con.file, highlight=False).print(renderable)

    city = ws.city_name(lab.lang) if ws is not None else report.city
    con.print(f"[bold]{lab('progress', city=city, year=report.as_of)}[/bold] ({report.workspace})")
    if not report.targets:  # an empty grid reads like a rendering fault; say what is missing
        con.print(lab("none"), highlight=False)
    for level, key in (
        ("city", "city_targets"),
        ("district", "district_targets"),
        ("national", "national_targets"),
    ):
        rows = [p for p in report.targets if p.level == level]
        if rows:
            show(_targets_table(rows, lab, lab(key)))
    summary = report.summary()
    parts = {
        lv: ", ".join(f"{n} {lab.status(s)}" for s, n in summary.get(lv, {}).get("by_status", {}).items())
        or "–"
        for lv in ("city", "national")
    }
    con.print(lab("summary", city=parts["city"], national=parts["national"]), highlight=False)
    _pillars(report, lab, city, show)
    _conflicts(report, lab, show)
    _stale(report, lab, show)
    _trends(report, lab, show)


def _targets_table(rows: list[TargetProgress], lab: Labels, title: str) -> Table:
    keys: tuple[str, ...] = ("indicator", "scope", "baseline", "latest", "target", "achieved_per_year")
    keys += ("required_per_year", "projected", "status")
    t = Table(*(lab.col(k) for k in keys), title=title, title_justify="left")
    for p in rows:
        base = (
            f"{lab.bounded(p.baseline_value, p.baseline_bound)} ({p.baseline_year})"
            if p.baseline_year
            else "–"
        )
        latest = (
            f"{lab.bounded(p.latest_value, p.latest_bound, p.latest_value_high)} ({p.latest_year})"
            if p.latest_year
            else "–"
        )
        style = STATUS_STYLE.get(p.status, "")
        status = f"[{style}]{lab.status(p.status)}[/{style}]" + (
            f" ({lab('passed')})" if p.target_year_passed else ""
        )
        name = lab.indicator(p.indicator, p.indicator_name)
        if p.method:
            name += f"\n[dim]{lab('definition')}: {lab.definition(p.method)}[/dim]"
        target = lab.bounded(p.target_value, p.target_bound, p.target_value_high)
        t.add_row(
            name,
            lab.scope(p.scope, p.level),
            base,
            latest,
            # a count needs no unit after the number ("10 vào năm 2030", not "10 số lượng")
            f"{target}{'' if p.unit == 'count' else ' ' + lab.unit(p.unit)} {lab('by')} {p.target_year}",
            lab.change(p.achieved_per_year, p.unit),
            lab.change(p.required_per_year, p.unit),
            lab.number(p.projected_value),
            status,
        )
    return t


def _pillars(report: MonitoringReport, lab: Labels, city: str, show: Any) -> None:
    cols = (lab.col("pillar"), lab.col("n_indicators"), lab.col("n_observations"), lab("of_which", city=city))
    pill = Table(*cols, lab.col("coverage"), title=lab("pillars"), title_justify="left")
    for c in report.pillars:
        gap = f"[bold red]{lab('gap')}[/bold red]" if c.gap else ""
        # the English output adds the Vietnamese name (the team's working language); the Vietnamese one
        # stays Vietnamese
        name = c.name_vi or c.name_en if lab.lang == "vi" else c.name_en
        if lab.lang == "en" and c.name_vi:
            name += f"\n[dim]{c.name_vi}[/dim]"
        pill.add_row(name, str(c.indicators), str(c.observations), str(c.city_observations), gap)
    show(pill)


def _conflicts(report: MonitoringReport, lab: Labels, show: Any) -> None:
    if not report.conflicts:
        return
    cols = (lab.col("indicator"), lab.col("scope"), lab.col("year"), lab.col("values"), lab("resolved"))
    ct = Table(*cols, title=lab("conflicts"), title_justify="left")
    for c in report.conflicts:
        vals = "\n".join(
            f"{lab.number(v['value'])} ({v['observation_id']}{_chosen(lab, v)}): {v['source']}"
            for v in c.values
        )
        resolved = lab("yes") if c.resolved else f"[yellow]{lab('no')}[/yellow]"
        level = "city" if ws_is_city(lab, c.scope) else "national"
        ct.add_row(
            lab.indicator(c.indicator, c.indicator), lab.scope(c.scope, level), str(c.year), vals, resolved
        )
    show(ct)


def _chosen(lab: Labels, value: dict[str, Any]) -> str:
    return f", {lab('preferred')}" if value.get("preferred") else ""


def ws_is_city(lab: Labels, scope: str) -> bool:
    """Whether ``scope`` is the workspace's city (the one level rule of :mod:`monitoring.series`)."""
    from creativecity.monitoring.series import workspace_level

    return lab.ws is not None and workspace_level(lab.ws, scope) == "city"


def _stale(report: MonitoringReport, lab: Labels, show: Any) -> None:
    if not report.stale:
        return
    cols = (lab.col("indicator"), lab.col("scope"), lab.col("year"), lab("why"))
    st = Table(*cols, title=lab("stale", years=STALE_YEARS), title_justify="left")
    for s in report.stale:
        name = lab.indicator(s.indicator, s.indicator)
        if s.method:  # stale is per series: name its definition
            name += f"\n[dim]{lab('definition')}: {lab.definition(s.method)}[/dim]"
        why = lab("undated") if s.latest_year is None else lab("old", age=s.age)
        st.add_row(name, lab.scope(s.scope, s.level), str(s.latest_year or "–"), why)
    show(st)


def _trends(report: MonitoringReport, lab: Labels, show: Any) -> None:
    if not report.trends:
        return
    cols = (lab.col("indicator"), lab.col("scope"), lab("first"), lab.col("latest"))
    tr = Table(*cols, lab("change"), lab("growth"), title=lab("trends"), title_justify="left")
    for t2 in report.trends:
        name = lab.indicator(t2.indicator, t2.indicator_name)
        if t2.method:
            name += f"\n[dim]{lab('definition')}: {lab.definition(t2.method)}[/dim]"
        latest = f"{lab.bounded(t2.latest_value, t2.latest_bound, t2.latest_value_high)} ({t2.latest_year})"
        first = f"{lab.number(t2.first_value)} ({t2.first_year})"
        if t2.points == 1:  # one figure: the first is the latest, bound and all
            first = latest
        growth = "–"
        if t2.compound_per_year is not None:
            growth = lab.t.percent(t2.compound_per_year * 100)
        tr.add_row(
            name,
            lab.scope(t2.scope, t2.level),
            first,
            latest + (f" [magenta]{lab('stale_mark')}[/magenta]" if t2.stale else ""),
            lab.change(t2.change_per_year, t2.unit),
            growth,
        )
    show(tr)


#: Kinds of framework items in Vietnamese (statistic, checklist, group...).
_KINDS_VI = {
    "statistic": "thống kê",
    "checklist": "danh mục kiểm tra",
    "indicator": "chỉ số",
    "group": "nhóm",
    "pillar": "trụ cột",
    "dimension": "khía cạnh",
    "subindex": "chỉ số thành phần",
    "index": "chỉ số tổng hợp",
    "industry": "ngành",
}


def print_framework(fw: Any, prof: Any | None, lang: str, ws: Workspace | None, out: Console) -> None:
    """``framework show``: the framework's tree, or a city's profile in it, in English or Vietnamese."""
    lab = Labels(lang, ws)
    vi = lab.lang == "vi"
    title = (getattr(fw, "title_vi", "") or fw.title) if vi else fw.title

    def kind(k: str) -> str:
        return _KINDS_VI.get(k, k) if vi else k

    def node_name(code: str, fallback: str) -> str:
        try:
            node = fw.node(code)
        except Exception:  # a code the framework does not define: keep what the profile says
            return fallback
        return str((node.name_vi or node.name_en) if vi else node.name_en)

    def show(table: Table) -> None:
        if out.is_terminal:
            out.print(table)
        else:
            Console(width=170, file=out.file, highlight=False).print(table)

    if prof is not None:
        city = ws.city_name(lab.lang) if ws is not None else prof.city
        out.print(f"[bold]{lab('profile_title', city=city, framework=title, year=prof.as_of)}[/bold]")
        for g in prof.groups:
            heading = (g.name_vi or g.name_en) if vi else g.name_en + (f" / {g.name_vi}" if g.name_vi else "")
            t = Table(lab("item"), lab("kind"), lab("figures"), title=heading, title_justify="left")
            for it in g.items:
                if it.missing:
                    figs = f"[red]{lab('missing')}[/red]"
                else:
                    lines = []
                    for v in it.values:
                        level = "city" if ws_is_city(lab, v.scope) else "national"
                        number = v.answer or lab.number(v.latest_value)
                        unit = "" if v.answer else lab.unit(v.unit)
                        year = v.latest_year or lab.t("label.undated")
                        name = lab.indicator(v.indicator, v.name)
                        lines.append(
                            f"{name} ({lab.scope(v.scope, level)}): {number} {unit} ({year}) {v.source}"
                        )
                    figs = "\n".join(lines)
                flag = "" if it.verified else f" [yellow]({lab('unverified')})[/yellow]"
                t.add_row(f"{it.code} {node_name(it.code, it.name)}{flag}", kind(it.kind), figs)
            show(t)
        return
    if vi:  # the description and the source note are English text of the framework's data: not shown
        out.print(f"[bold]{title}[/bold]", highlight=False)
    else:
        out.print(f"[bold]{title}[/bold] ({fw.name}) — {fw.description}", highlight=False)
        out.print(f"{lab('source')}: {fw.source}", highlight=False)
    # Vietnamese output names nodes and parents; the English one keeps the codes a user types
    cols = (
        ("level", "name", "parent", "weight", "kind", "verified")
        if vi
        else ("level", "code", "name", "parent", "weight", "kind", "verified")
    )
    t = Table(*(lab(c) for c in cols))
    for n in fw.nodes:
        if n.verified:
            ver = lab("yes")
        else:
            fields = ", ".join(n.unverified_fields) or n.certainty
            ver = f"[yellow]{lab('no')}[/yellow]" if vi else f"[yellow]{lab('no')}: {fields}[/yellow]"
        if vi:
            parent = node_name(n.parent, n.parent) if n.parent else ""
            t.add_row(str(n.level), n.name_vi or n.name_en, parent, lab.number(n.weight), kind(n.kind), ver)
        else:
            name_txt = n.name_en + (f"\n[dim]{n.name_vi}[/dim]" if n.name_vi else "")
            t.add_row(str(n.level), n.code, name_txt, n.parent, lab.number(n.weight), kind(n.kind), ver)
    show(t)
