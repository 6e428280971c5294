"""`make bench-documents`: sample documents of every kind render and are measured."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from notifications.benchmarks import (
    KindFigures,
    pages_of,
    render_kind,
    report_lines,
    sample_document,
    samples,
)
from notifications.documents.pdf import document_pdf
from workflows.credit.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Path) -> None:
    settings.DOCUMENTS_DIR = tmp_path / "documents"


def test_every_kind_has_a_sample_that_prints(db: None) -> None:
    rows = samples()

    figures = [render_kind(rows, kind, 1) for kind in Document.Kind.values]

    assert [f.kind for f in figures] == list(Document.Kind.values)
    assert all(f.count == 1 and f.mean > 0 and f.pages >= 1 for f in figures)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
@pytest.mark.parametrize("kind", ["acceptance", "listing_decision"])
def test_the_page_count_agrees_with_poppler(tmp_path: Path, kind: str) -> None:
    pdf = document_pdf(sample_document(samples(), kind))
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf)

    info = subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True
    ).stdout
    pages = next(int(line.split()[1]) for line in info.splitlines() if "Pages:" in line)
    assert pages_of(pdf) == pages


def test_the_report_has_one_line_per_kind_and_a_total() -> None:
    figures = [
        KindFigures("acceptance", 4, 0.5, 0.45, 0.7, 1, 250 * 1024),
        KindFigures("listing_decision", 4, 0.9, 0.85, 1.1, 2, 270 * 1024),
    ]

    lines = report_lines(figures, "load average 0.10 / 0.20 / 0.30 (1 / 5 / 15 min)")

    expected = ["acceptance", "4", "0.500", "0.450", "0.700", "1", "250"]
    assert lines[2].split() == expected
    assert lines[3].split()[0] == "listing_decision"
    assert lines[-2] == "all kinds: 8 documents, mean 0.700 s each"
    # 8 documents in 5.6 s of rendering: 86 a minute from one process.
    assert lines[-1] == "one process, one after another: 86 documents/min"
