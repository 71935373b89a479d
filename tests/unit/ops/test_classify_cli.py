"""``leadflow classify FILE|-``: one raw message in, one JSON object out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.unit.core.replies.factories import reply
from workers.cli import main


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """Run the CLI; return its exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        patch.setattr("sys.stdout", out)
        patch.setattr("sys.stderr", err)
        with pytest.raises(SystemExit) as exited:
            main(argv)
    return int(exited.value.code or 0), out.getvalue(), err.getvalue()


class TestClassifyCommand:
    """The operator's view of the classifier."""

    def test_file(self, tmp_path: Path) -> None:
        """A message file prints the contract's JSON object and exits 0."""
        path = tmp_path / "reply.eml"
        path.write_bytes(reply("Bitte austragen.", subject="Re: Hallo"))
        code, out, _ = run(["classify", str(path)])
        assert (0, {"kind": "unsubscribe", "return_date": None, "language": "de"}) == (
            code,
            {k: v for k, v in json.loads(out).items() if k != "evidence"},
        )

    def test_stdin(self) -> None:
        """``-`` reads the message from standard input."""
        raw = reply(
            "Out of the office until 4 January.", headers={"Auto-Submitted": "auto-replied"}
        )
        code, out, _ = run(["classify", "-"], raw)
        assert (0, "out_of_office", "2027-01-04") == (
            code,
            json.loads(out)["kind"],
            json.loads(out)["return_date"],
        )

    @pytest.mark.parametrize(
        "stdin", [b"", b"\x00\x01\x02garbage", b"just some text\n"], ids=["empty", "binary", "text"]
    )
    def test_not_a_message(self, stdin: bytes) -> None:
        """Input that is not a message exits 2 with one line on stderr."""
        code, out, err = run(["classify", "-"], stdin)
        assert (2, "", 1) == (code, out, len(err.strip().splitlines()))

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file exits 2 with one line on stderr."""
        code, _, err = run(["classify", str(tmp_path / "nope.eml")])
        assert (2, True) == (code, err.startswith("leadflow: cannot read"))
