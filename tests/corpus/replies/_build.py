"""Builds the labelled reply corpus: the .eml files and labels.json next to this script.

Run from the repository root after editing a case (``python -m tests.corpus.replies._build``); the
output is committed and is the corpus. The messages are written by hand in
_cases_*.py, modelled on real shapes (Outlook/Exchange, Gmail, Apple Mail,
Thunderbird, Zimbra, helpdesks, Postfix/Exim/Sendmail/qmail/Exchange DSNs);
addresses and names are invented, domains are example.com/.org/.net.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.corpus.replies import (
    _cases_de,
    _cases_en,
    _cases_es,
    _cases_fr,
    _cases_it,
    _cases_more,
    _cases_nl,
    _cases_pt,
)
from tests.corpus.replies._mail import Corpus, with_trace

HERE = Path(__file__).parent


def main() -> None:
    """Write every case and the label file; remove .eml files no case names."""
    corpus = Corpus()
    for module in (
        _cases_en,
        _cases_de,
        _cases_fr,
        _cases_es,
        _cases_it,
        _cases_nl,
        _cases_pt,
        _cases_more,
    ):
        module.build(corpus)
    names = {c.file for c in corpus.cases}
    for stale in HERE.glob("*.eml"):
        if stale.name not in names:
            stale.unlink()
    labels = []
    for c in corpus.cases:
        (HERE / c.file).write_bytes(with_trace(c.file, c.raw))
        labels.append(
            {
                "file": c.file,
                "kind": c.kind,
                "return_date": c.return_date,
                "language": c.language,
                "note": c.note,
            }
        )
    text = json.dumps(labels, ensure_ascii=False, indent=1)
    (HERE / "labels.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(labels)} messages")


if __name__ == "__main__":
    main()
