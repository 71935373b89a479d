"""``CommitBehind``: one commit at a time, in order, waited for only when asked."""

from __future__ import annotations

import asyncio

import pytest

from workers.ingest.commit_behind import CommitBehind


class Commits:
    """A commit function whose calls wait for ``gate``; records what was committed."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.done: list[int] = []
        self.fail = False

    async def __call__(self, offset: int) -> None:
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("commit failed")
        self.done.append(offset)


class TestCommitBehind:
    """``CommitBehind``."""

    async def test_start_does_not_wait(self) -> None:
        """``start`` returns while the commit is still pending; ``settle`` waits for it."""
        commits = Commits()
        behind = CommitBehind(commits)

        behind.start(1)
        pending = (behind.running, list(commits.done))
        commits.gate.set()
        await behind.settle()

        assert ((True, []), [1], False) == (pending, commits.done, behind.running)

    async def test_a_second_commit_needs_the_first_settled(self) -> None:
        """Commits stay in order: starting one while another runs is refused."""
        commits = Commits()
        behind = CommitBehind(commits)
        behind.start(1)

        with pytest.raises(RuntimeError, match="settle it first"):
            behind.start(2)
        commits.gate.set()
        await behind.settle()
        assert [1] == commits.done

    async def test_an_error_surfaces_at_settle(self) -> None:
        """A failed commit raises at the next ``settle``, not before."""
        commits = Commits()
        commits.fail = True
        behind = CommitBehind(commits)
        behind.start(1)
        commits.gate.set()

        with pytest.raises(RuntimeError, match="commit failed"):
            await behind.settle()

    async def test_abandon_waits_and_ignores_the_error(self) -> None:
        """After a failure elsewhere, the running commit ends; its error is not raised."""
        commits = Commits()
        commits.fail = True
        behind = CommitBehind(commits)
        behind.start(1)
        commits.gate.set()

        await behind.abandon()

        assert (False, []) == (behind.running, commits.done)

    async def test_settle_without_a_commit_returns_at_once(self) -> None:
        """Nothing started: nothing to wait for."""
        behind: CommitBehind[int] = CommitBehind(Commits())

        await asyncio.wait_for(behind.settle(), 1)

        assert not behind.running
