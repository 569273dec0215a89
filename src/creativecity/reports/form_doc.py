"""The application form, section by section, from the form's data and the workspace.

The sections, their order, numbers and headings come from the form edition the city answers
(:mod:`creativecity.monitoring.forms`); each is filled from what its ``fills`` names: the city's name,
the country, the four contacts with the fields the form asks for, the creative field, the city's text
(or UNESCO's "No relevant information to provide"), and the register's local and inter-city
initiatives. The same builder makes the team's working draft (Vietnamese or English, with notices on
limits and translations) and the submission (English or French, the form and the list of
attachments, nothing else).
"""

from __future__ import annotations

from creativecity.monitoring.application import CONTACT_ROLES, Contact
from creativecity.monitoring.forms import Form, FormSection
from creativecity.reports.context import BuildContext
from creativecity.reports.model import Block, Cell, Notice, Paragraph, Section
from creativecity.reports.register_blocks import initiatives_table

#: Contact fields in the form's order, with the label key of each (``institution`` joins two fields).
CONTACT_ROWS: tuple[str, ...] = (
    "honorific",
    "family_name",
    "first_name",
    "institution",
    "institution_type",
    "address",
    "email",
    "phone",
    "other_info",
)


def _contact_value(c: Contact, key: str) -> str:
    if key == "institution":
        return " / ".join(p for p in (c.organisation, c.title) if p)
    if key == "family_name" and not c.family_name and not c.first_name:
        return c.name  # earlier workspaces keep one full-name field
    return str(getattr(c, key) or "")


def contact_table(ctx: BuildContext, sec: FormSection, contact: Contact) -> list[Block]:
    """One contact block: every field the form asks for; a blank one is "to be completed"."""
    t = ctx.t
    rows, empty = [], []
    for key in CONTACT_ROWS:
        value = _contact_value(contact, key)
        if not value and key not in ("other_info", "institution_type"):
            empty.append(key)
        rows.append([Cell(t("contact.field." + key)), Cell(value or t("label.to_complete"))])
    if empty:
        ctx.pending.append(f"{sec.number} {sec.heading['en']}: {', '.join(empty)} empty")
    header = [t("col.field_label"), t("col.entry")]
    return [
        ctx.table(t("caption.contact", role=sec.heading.get(ctx.lang) or sec.heading["en"]), header, rows)
    ]


def _title(sec: FormSection, lang: str) -> str:
    return sec.title(lang)


def _template(sec: FormSection, submission: bool) -> bool:
    return not submission and sec.status.startswith("unverified")


def _section_blocks(ctx: BuildContext, sec: FormSection) -> list[Block]:
    """What fills one section, in the order of its ``fills``."""
    inp, t = ctx.inp, ctx.t
    blocks: list[Block] = []
    for fill in sec.fills:
        if fill == "city_name":
            blocks.append(Paragraph([inp.city_name(ctx.lang)]))
        elif fill == "country":
            blocks.append(Paragraph([t.country(inp.country_iso3)]))
        elif fill == "creative_field":
            if inp.creative_field:
                blocks.append(Paragraph([t.field(inp.creative_field)]))
            else:
                ctx.pending.append(f"{sec.number} {sec.heading['en']}: no creative field")
        elif fill.startswith("contacts."):
            role = fill.split(".", 1)[1]
            by_role = {c.role: c for c in inp.contacts}
            blocks += contact_table(ctx, sec, by_role.get(role, Contact(role)))
        elif fill.startswith("initiatives."):
            level = fill.split(".", 1)[1]
            items = [i for i in inp.ws.initiatives if i.level == level]
            if items:
                key = "caption.initiatives_local" if level == "local" else "caption.initiatives_intercity"
                blocks.append(initiatives_table(ctx, items, key))
        elif fill == "narrative":
            blocks += ctx.narrative(sec.id, has_data=len(blocks) > 0)
    if not blocks:
        blocks.append(Paragraph([ctx.empty_answer()]))
    return blocks


def form_sections(ctx: BuildContext, form: Form) -> list[Section]:
    """Every section of ``form`` in order, sub-sections under their parent."""
    top: list[Section] = []
    by_id: dict[str, Section] = {}
    for sec in form.sections:
        section = Section(sec.id, _title(sec, ctx.lang), template=_template(sec, ctx.submission))
        by_id[sec.id] = section
        if sec.parent:
            by_id[sec.parent].subsections.append(section)
            section.blocks = _section_blocks(ctx, sec)
        else:
            top.append(section)
            if sec.fills:
                section.blocks = _section_blocks(ctx, sec)
    return top


def attachments_section(ctx: BuildContext, form: Form) -> Section:
    """The list of attachments: each document the form asks for, provided or still to be provided."""
    t = ctx.t
    rows = []
    for item in form.attachments:
        kind = str(item["kind"])
        att = ctx.inp.attachments.get(kind)
        provided = att is not None and att.status == "provided"
        if not provided:
            ctx.pending.append(f"attachment {kind}: to be provided")
        label = dict(item.get("label") or {})
        names = att.file_list() if att is not None else []
        if att is not None and att.note and not ctx.submission:
            names.append(att.note)  # the team's note ("signed copy on its way") stays internal
        files = "; ".join(names)
        rows.append(
            [
                Cell(str(label.get(ctx.lang) or label.get("en") or kind)),
                Cell(t("label.provided") if provided else t("label.to_provide")),
                Cell(files or "–"),
            ]
        )
    header = [t("col.document"), t("col.status"), t("col.files")]
    return Section("attachments", t("app.attachments"), [ctx.table(t("caption.attachments"), header, rows)])


def pending_notice(ctx: BuildContext) -> list[Notice]:
    """A draft that lacks required data says so on its first page (never a silent gap)."""
    if not ctx.pending:
        return []
    return [Notice(ctx.t("notice.pending", n=len(ctx.pending)), "warning")]


__all__ = ["CONTACT_ROLES", "attachments_section", "form_sections", "pending_notice"]
