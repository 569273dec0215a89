"""Keep the web UI's message catalog in step with the templates (a developer tool).

``python -m creativecity.web.catalog`` extracts every ``_()`` string from the templates and modules,
merges them into ``locale/vi/LC_MESSAGES/messages.po`` (keeping existing translations) and compiles the
``.mo`` that the app loads. Strings without a translation are listed so a translator can fill them in.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).parent
LOCALE = WEB / "locale"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extract() -> list[str]:
    """Every UI message id, sorted."""
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            ids.update(m for m in message if m)
        elif message:
            ids.add(message)
    return sorted(ids)


def po_path(lang: str) -> Path:
    """The editable catalog of ``lang``."""
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(lang: str) -> Catalog:
    """The ``.po`` catalog of ``lang``."""
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def compiled(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of a catalog."""
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def update(lang: str = "vi") -> list[str]:
    """Merge extracted ids into the ``lang`` catalog, write ``.po`` and ``.mo``; return untranslated ids."""
    path = po_path(lang)
    known = {m.id: m.string for m in read_catalog(lang) if m.id} if path.exists() else {}
    catalog = Catalog(locale=lang, project="creativecity", fuzzy=False)
    for msgid in extract():
        catalog.add(msgid, known.get(msgid, ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=110, no_location=True, sort_output=True, omit_header=False)
    path.with_suffix(".mo").write_bytes(compiled(catalog))
    return [m.id for m in catalog if m.id and not m.string]


if __name__ == "__main__":  # pragma: no cover - developer tool
    missing = update()
    print(f"{len(missing)} untranslated: {missing}" if missing else "catalog complete")
