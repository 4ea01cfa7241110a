"""bench/pages.py and the real-page loader of bench/extract_eval.py, on texts of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import extract_eval, modality_eval, pages

TEXT = (" date 2025-09 Mistral AI a levé 1,7 milliard d’euros, un tour mené par le groupe néerlandais"
        " ASML, selon l’entreprise.\n\nLa suite du texte est coupée ici, au milieu d’un mot")


def _save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.setenv("VEILLE_PAGES_DIR", str(tmp_path / "texts"))
    source = tmp_path / "page.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    assert pages.main(["save", "--lang", "fr", "--slug", "levee", "--url", "https://x.test/a", str(source)]) == 0
    fields = capsys.readouterr().out
    refs = tmp_path / "refs"
    refs.mkdir()
    extra = 'title = "t"\noutlet = "x.test"\npublished = "2025-09"\nquery = "q"\nsplit = "dev"\n'
    (refs / "fr.toml").write_text(fields + extra, encoding="utf-8")
    return refs


def test_save_writes_the_text_byte_for_byte_and_check_accepts_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    refs = _save(tmp_path, monkeypatch, capsys)
    assert (tmp_path / "texts" / "fr" / "levee.txt").read_bytes() == TEXT.encode("utf-8")
    (ref,) = pages.load_references("fr", refs)
    assert ref.first_words == "date 2025-09 Mistral AI a levé 1,7 milliard"
    assert ref.last_words == "texte est coupée ici, au milieu d’un mot"
    assert ref.chars == len(TEXT)
    assert pages.main(["check", "--references", str(refs)]) == 0
    assert capsys.readouterr().out == ""


def test_check_prints_one_line_per_problem_and_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    refs = _save(tmp_path, monkeypatch, capsys)
    text = tmp_path / "texts" / "fr" / "levee.txt"
    text.write_bytes(TEXT.replace("ASML", "ASMX").encode("utf-8"))
    assert pages.main(["check", "--references", str(refs)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert str(text) in line and "sha256" in line and "edges and length agree" in line
    text.unlink()
    assert pages.main(["check", "--references", str(refs)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert str(text) in line and "missing" in line


def test_a_reference_without_a_field_is_one_error_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "fr.toml").write_text('[[article]]\nslug = "a"\nlang = "fr"\n', encoding="utf-8")
    assert pages.main(["check", "--references", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "missing field 'url'" in err


def test_the_pages_set_names_the_missing_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VEILLE_PAGES_DIR", str(tmp_path))
    assert not extract_eval.pages_present()
    assert extract_eval.main(["--set", "pages", "--lang", "fr", "--no-peers"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {tmp_path}/fr/") and line.endswith("'Real-page development set')")


def test_the_modality_bench_names_the_missing_text_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Asked for the pages with no texts, it says which file is missing in one line, exit 1."""
    monkeypatch.setenv("VEILLE_PAGES_DIR", str(tmp_path))
    assert modality_eval.main(["--set", "pages"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {tmp_path}/") and line.endswith("'Real-page development set')")


def test_references_split_about_half_and_half() -> None:
    refs = pages.load_references("fr")
    assert len(refs) >= 20 and len({r.outlet for r in refs}) >= 10
    test = [r for r in refs if r.split == "test"]
    assert len(test) >= 10 and len(refs) - len(test) >= 10
