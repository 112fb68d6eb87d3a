"""The user docs stay true to the app: README.md and README.ru.md's troubleshooting tables quote
the error catalogue word for word (title and what to do, in each README's language), every image
they show exists, and the Russian guide covers the same steps as the English one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wadesk.core.error_catalogue import LOCAL_CATALOGUE, Explanation, lookup

ROOT = Path(__file__).resolve().parents[2]
READMES = {"en": ROOT / "README.md", "ru": ROOT / "README.ru.md"}


def table_rows(text: str) -> list[tuple[str, str, str]]:
    """(code, says, what to do) of the troubleshooting table (the one whose first column is
    Meta's code)."""
    rows = []
    inside = False
    for line in text.splitlines():
        if re.match(r"^\| (Meta code|код Meta) \|", line):
            inside = True
            continue
        if inside and line.startswith("|---"):
            continue
        if inside and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == 3, line
            rows.append((cells[0], cells[1], cells[2]))
        elif inside:
            break
    return rows


def _normal(text: str) -> str:
    return text.replace("`", "").rstrip(".")


@pytest.mark.parametrize("lang", sorted(READMES))
def test_troubleshooting_quotes_the_catalogue(lang: str) -> None:
    rows = table_rows(READMES[lang].read_text(encoding="utf-8"))
    assert len(rows) >= 12
    codes = {code for code, _, _ in rows}
    for needed in ("190", "100", "131030", "131047", "131026", "133010"):
        assert needed in codes, needed  # the problems new users hit most
    local = [entry.explanation for entry in LOCAL_CATALOGUE.values()]
    for code, says, todo in rows:
        explanations: list[Explanation]
        if code.isdigit():
            entry = lookup(int(code))
            assert entry is not None, code
            explanations = [entry.explanation]
        else:
            explanations = [e for e in local if _normal(e.title(lang)) == _normal(says)]
            assert explanations, f"{says!r} is not a message wadesk shows"
        assert any(
            _normal(e.title(lang)) == _normal(says) and _normal(e.what_to_do(lang)) in _normal(todo)
            for e in explanations
        ), (code, says)
    texts = [says for _, says, _ in rows]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("lang", sorted(READMES))
def test_every_image_in_the_readme_exists(lang: str) -> None:
    text = READMES[lang].read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) >= 3
    for image in images:
        path = ROOT / image
        assert path.is_file(), image
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image


def _sections(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_the_russian_readme_has_the_same_guide() -> None:
    en = READMES["en"].read_text(encoding="utf-8")
    ru = READMES["ru"].read_text(encoding="utf-8")
    assert "README.ru.md" in en and "README.md" in ru
    assert len(_sections(ru)) >= len(_sections(en)) - 2
    steps = re.compile(r"^\d+\. \*\*", re.MULTILINE)
    assert len(steps.findall(ru)) == len(steps.findall(en)) >= 8  # the numbered setup steps
    for text in (en, ru):
        for needed in (
            "wadesk demo",
            "scripts/test.sh",
            "scripts/build.sh",
            "--self-test",
            "whatsapp_business_messaging",
            "whatsapp_business_management",
            "ngrok",
            "131030",
            "wadesk backup",
            "wadesk restore",
        ):
            assert needed in text, needed
