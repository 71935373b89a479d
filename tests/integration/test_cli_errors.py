"""Bad CLI input and unreachable services: one line on stderr, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEADFLOW = str(ROOT / ".venv/bin/leadflow")
#: Nothing listens on port 1: connections are refused at once.
NOWHERE = {
    "LEADFLOW_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    "LEADFLOW_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/leadflow",
}
CAMPAIGN = '{"campaign_id": "c1", "version": 1, "status": "draft", "steps": [{"delay": "P1D"}],'
CAMPAIGN += ' "sender_id": "mbx-1"}'


def run(*argv: str, stdin: str | None = None) -> tuple[int, list[str], str]:
    """``leadflow ARGV`` with no reachable broker or database: exit status, stderr lines, stdout."""
    done = subprocess.run(
        [LEADFLOW, *argv],
        env={k: v for k, v in {**os.environ, **NOWHERE}.items() if k != "LEADFLOW_TRACKING_SECRET"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stderr.splitlines(), done.stdout


class TestOneLineErrors:
    """Every mistake and every unreachable service is reported in exactly one line."""

    @pytest.mark.parametrize(
        ("expected", "argv", "stdin"),
        [
            ("campaign id 'bad id!' is not a valid id", ["lead", "pause", "bad id!", "l1"], None),
            ("lead id '-l1' is not a valid id", ["lead", "stop", "c1", "--", "-l1"], None),
            (
                "--until '2026-06-01T10:00' has no UTC offset",
                ["lead", "pause", "c1", "l1", "--until", "2026-06-01T10:00"],
                None,
            ),
            (
                "--until applies to `lead pause` only, not to `lead resume`",
                ["lead", "resume", "c1", "l1", "--until", "2026-06-01T10:00:00Z"],
                None,
            ),
            ("argument --status: invalid choice", ["leads", "list", "--status", "asleep"], None),
            (
                "stdin: invalid campaign settings: message: not valid JSON",
                ["campaign", "put", "-"],
                "{",
            ),
            ("cannot read missing.json: No such file", ["campaign", "put", "missing.json"], None),
            (
                "--timeout 0 must be a positive number of seconds",
                ["lead", "pause", "c1", "l1", "--timeout", "0"],
                None,
            ),
            ("cannot reach Kafka at 127.0.0.1:1", ["lead", "pause", "c1", "l1"], None),
            ("cannot reach Kafka at 127.0.0.1:1", ["campaign", "put", "-"], CAMPAIGN),
            ("cannot reach the database", ["lead", "show", "c1", "l1"], None),
            ("cannot reach the database", ["leads", "list"], None),
            ("LEADFLOW_TRACKING_SECRET is not set", ["run", "replies"], None),
            ("LEADFLOW_TRACKING_SECRET is not set", ["run", "all"], None),
        ],
    )
    def test_one_line(self, expected: str, argv: list[str], stdin: str | None) -> None:
        """One stderr line names the problem; the exit status is 2 and stdout is empty."""
        code, errors, out = run(*argv, stdin=stdin)
        assert (2, 1, "") == (code, len(errors), out), errors
        assert expected in errors[0]
