"""The submission build: only the form; refused (exit 2, nothing written) when a rule of the form fails."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.errors import InputErrors
from creativecity.monitoring.application import Attachment, Contact
from creativecity.monitoring.repository import bundled_workspace
from creativecity.monitoring.storage import write_workspace
from creativecity.reports.api import generate_dossier, render
from creativecity.reports.build import build_document
from creativecity.reports.render_docx import build_docx

runner = CliRunner()
SECTIONS = ("general_description", "assets", "contribution", "management_budget", "communication_plan")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 1000


def complete_workspace(folder: Path, lang: str = "en") -> Path:
    """Hanoi with every contact, text and attachment the form asks for; attachment files in folder/att."""
    ws = bundled_workspace("hanoi")
    for i, role in enumerate(("mayor", "representative", "main", "alternate")):
        ws.contacts[i] = Contact(
            role,
            title="Director",
            organisation="Hanoi People's Committee",
            email=f"{role}@hanoi.gov.vn",
            phone="+84 24 3825 3536",
            honorific="Ms",
            family_name="Nguyễn",
            first_name="Thị A",
            address="79 Đinh Tiên Hoàng, Hà Nội",
        )
    for section in SECTIONS:
        ws.narratives[(section, lang)] = "Hanoi writes three words." if lang == "en" else "Hanoï écrit ceci."
    att = folder / "att"
    att.mkdir(parents=True, exist_ok=True)
    files = {
        "documents_list": ["list.pdf"],
        "mayor_letter": ["mayor.pdf"],
        "national_commission": ["natcom.pdf"],
        "support_letters": ["assoc1.pdf", "assoc2.pdf"],
        "photos": ["p1.jpg", "p2.jpg", "p3.jpeg"],
        "photo_rights": ["r1.pdf", "r2.pdf", "r3.pdf"],
    }
    for kind, names in files.items():
        for name in names:
            (att / name).write_bytes(JPEG if kind == "photos" else b"%PDF-1.4 letter")
        ws.attachments = [a for a in ws.attachments if a.kind != kind] + [
            Attachment(kind, "provided", "; ".join(names))
        ]
    write_workspace(ws, folder / "ws")
    return folder


def build(folder: Path, out: Path, **options: object) -> object:
    return generate_dossier(
        str(folder / "ws"),
        kind="application",
        lang="en",
        out=out,
        submission=True,
        attachments=folder / "att",
        **options,  # type: ignore[arg-type]
    )


def messages(exc: pytest.ExceptionInfo[InputErrors]) -> list[str]:
    return [e.message for e in exc.value.errors]


def test_a_complete_application_is_written_with_the_form_only(tmp_path: Path) -> None:
    folder = complete_workspace(tmp_path)
    result = build(folder, tmp_path / "app.docx")
    assert result.submission["links"] == [] and result.submission["pending"] == []  # type: ignore[attr-defined]
    d = docx.Document(str(tmp_path / "app.docx"))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[0] == "1. Name of the city" and h1[-1] == "List of attachments"
    assert not any("Annex" in h or "Sources" in h for h in h1)  # the annexes are the evidence pack's
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Generated on" not in text and "✎" not in text


def test_over_limit_and_empty_sections_are_refused_by_name_and_nothing_is_written(tmp_path: Path) -> None:
    folder = complete_workspace(tmp_path)
    from creativecity.monitoring.storage import read_workspace

    w = read_workspace(folder / "ws")
    w.word_limits = {"assets": 3}
    w.narratives[("assets", "en")] = "one two three four five"  # 5 words, limit 3
    del w.narratives[("contribution", "en")]  # empty, not even UNESCO's phrase
    write_workspace(w, folder / "ws")
    out = tmp_path / "app.docx"
    with pytest.raises(InputErrors) as exc:
        build(folder, out)
    assert "6 The city's assets in the creative field: 5 words, limit 3" in messages(exc)
    assert any(m.startswith("7 Engagement and contribution to the Network: empty") for m in messages(exc))
    assert not out.exists()
    # UNESCO's phrase answers an empty section
    w.narratives[("contribution", "en")] = "No relevant information to provide."
    w.narratives[("assets", "en")] = "one two three"
    write_workspace(w, folder / "ws")
    build(folder, out)
    assert out.exists()


def test_attachments_are_checked(tmp_path: Path) -> None:
    folder = complete_workspace(tmp_path)
    (folder / "att" / "p2.jpg").write_bytes(b"GIF89a not a jpeg")
    (folder / "att" / "p3.jpeg").write_bytes(JPEG + b"\x00" * (3 * 1024 * 1024))  # over 3 MB
    (folder / "att" / "assoc2.pdf").unlink()
    with pytest.raises(InputErrors) as exc:
        build(folder, tmp_path / "app.docx")
    got = messages(exc)
    assert "photo p2.jpg is not a JPEG image" in got
    assert "photo p3.jpeg is 3.0 MB; the limit is 3 MB" in got
    assert any(m.startswith("support_letters: assoc2.pdf is not in") for m in got)
    assert not (tmp_path / "app.docx").exists()
    # one rights form per photo (a workspace read from disk already refuses a wrong count; the
    # submission check holds the rule for workspaces built in memory, e.g. by the API)
    from creativecity.monitoring.storage import read_workspace
    from creativecity.reports.submission import check_submission

    (folder / "att" / "p2.jpg").write_bytes(JPEG)
    (folder / "att" / "p3.jpeg").write_bytes(JPEG)
    (folder / "att" / "assoc2.pdf").write_bytes(b"%PDF")
    w = read_workspace(folder / "ws")
    w.attachments = [a for a in w.attachments if a.kind != "photo_rights"] + [
        Attachment("photo_rights", "provided", "r1.pdf")
    ]
    with pytest.raises(InputErrors) as exc:
        check_submission(w, "en", document_bytes=1000, attachments=folder / "att")
    assert messages(exc) == [
        "photo_rights: 1 file(s), the form asks for 3",
        "1 photo rights form(s) for 3 photos: one form per photo",
    ]


def test_links_and_package_size(tmp_path: Path) -> None:
    folder = complete_workspace(tmp_path)
    from creativecity.monitoring.storage import read_workspace

    w = read_workspace(folder / "ws")
    w.narratives[("assets", "en")] = "See https://a.vn, https://b.vn and www.c.vn."
    w.narratives[("contribution", "en")] = "Also https://d.vn and https://e.vn/x."
    write_workspace(w, folder / "ws")
    (folder / "att" / "mayor.pdf").write_bytes(b"x" * (21 * 1024 * 1024))  # 21 MB letter
    with pytest.raises(InputErrors) as exc:
        build(folder, tmp_path / "app.docx")
    got = messages(exc)
    assert any(m.startswith("5 links in the text; the form accepts at most 4") for m in got)
    assert any(m.startswith("the package is 21.") and m.endswith("may be 20 MB") for m in got)


def test_missing_data_is_pending_refused_unless_a_draft(tmp_path: Path) -> None:
    out = tmp_path / "hanoi.docx"
    with pytest.raises(InputErrors) as exc:
        generate_dossier("hanoi", kind="application", lang="en", out=out, submission=True)
    got = messages(exc)
    assert any(m.startswith("3.1 Mayor of the City: honorific, family_name") for m in got)
    assert any(m.startswith("attachment photos: to be provided") for m in got)
    assert not out.exists()
    result = generate_dossier(
        "hanoi", kind="application", lang="en", out=out, submission=True, allow_pending=True
    )
    assert out.exists() and len(result.submission["pending"]) == 10  # type: ignore[index]
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Incomplete: 10 item(s) still to be provided" in text


def test_french_submission_has_french_headings_and_labels(tmp_path: Path) -> None:
    folder = complete_workspace(tmp_path, lang="fr")
    out = tmp_path / "candidature.html"
    generate_dossier(
        str(folder / "ws"),
        kind="application",
        lang="fr",
        out=out,
        submission=True,
        attachments=folder / "att",
    )
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    for heading in (
        "1. Nom de la ville",
        "3.1 Maire de la ville",
        "4. Domaine créatif",
        "8. Plan d&#39;action proposé : principales initiatives au niveau local",
        "Liste des pièces jointes",
    ):
        assert heading in html, heading
    assert "Nom de famille" in html and "Courriel" in html and "fourni" in html
    assert "Name of the city" not in html and "contact.field" not in html and "col." not in html
    # a French working draft is not offered: French is for what goes to UNESCO
    with pytest.raises(Exception, match="French: with --submission"):
        build_document(bundled_workspace("hanoi"), "application", "fr")


def test_cli_submission_refusal_is_exit_2_and_names_the_section(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    result = runner.invoke(
        app, ["dossier", "hanoi", "--kind", "application", "--lang", "en", "--submission", "--out", str(out)]
    )
    assert result.exit_code == 2 and not out.exists()
    assert "3.4 Alternative contact" in result.stderr
    result = runner.invoke(
        app, ["dossier", "hanoi", "--kind", "evidence", "--lang", "en", "--out", str(tmp_path / "e.html")]
    )
    assert result.exit_code == 0 and "Evidence pack: Hanoi" in (tmp_path / "e.html").read_text()


@pytest.mark.parametrize(("lang", "tag"), [("vi", "vi-VN"), ("en", "en-GB")])
def test_word_files_carry_the_document_language(lang: str, tag: str) -> None:
    from docx.oxml.ns import qn

    doc = build_document(bundled_workspace("hanoi"), "monitoring", lang)  # type: ignore[arg-type]
    d = build_docx(doc)
    assert d.core_properties.language == tag
    for name in ("Normal", "Heading 1", "Caption"):
        lang_el = d.styles[name].element.find(qn("w:rPr")).find(qn("w:lang"))
        assert lang_el.get(qn("w:val")) == tag and lang_el.get(qn("w:eastAsia")) == tag
    d2 = docx.Document(io.BytesIO(render(doc, "docx")))  # survives a save and a reload
    assert d2.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == tag
    if lang == "vi":
        assert d.paragraphs[0].text == "Báo cáo giám sát tư cách thành viên: Hà Nội"
