"""``CommitBehind``: one commit at a time, in order, waited for only when asked."""

from __future__ import annotations

import asyncio

import pytest

from workers.ingest.commit_behind import CommitBehind, SpacedCommits


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


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class DictCommits:
    """A commit function that records each commit's offsets; ``gate`` holds them."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.gate.set()
        self.done: list[dict[str, int]] = []
        self.fail = False

    async def __call__(self, offsets: dict[str, int]) -> None:
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("commit failed")
        self.done.append(offsets)


def spaced(commits: DictCommits, clock: Clock, every_s: float = 1.0) -> SpacedCommits[str]:
    return SpacedCommits(commits, every_s=every_s, clock=clock)


async def ended(commits: SpacedCommits[str]) -> None:
    """Let a started commit run to its end (the commit function is a plain coroutine)."""
    for _ in range(3):
        await asyncio.sleep(0)


class TestSpacedCommits:
    """``SpacedCommits``."""

    async def test_first_offsets_are_committed_at_once(self) -> None:
        """Nothing committed yet: the first acknowledged offsets start a commit."""
        commits, clock = DictCommits(), Clock()
        behind = spaced(commits, clock)

        await behind.offer({"p0": 3})
        await ended(behind)

        assert [{"p0": 3}] == commits.done

    async def test_offsets_within_the_interval_wait_and_merge(self) -> None:
        """Batches within ``every_s`` of the last commit wait; each partition's latest counts."""
        commits, clock = DictCommits(), Clock()
        behind = spaced(commits, clock)
        await behind.offer({"p0": 3})
        await ended(behind)

        clock.now += 0.5
        await behind.offer({"p0": 5, "p1": 2})
        await behind.offer({"p0": 7})
        await ended(behind)

        assert ([{"p0": 3}], {"p0": 7, "p1": 2}) == (commits.done, behind.waiting)

    async def test_tick_commits_what_waits_once_due(self) -> None:
        """After ``every_s``, a tick (no new batch needed) commits what waits."""
        commits, clock = DictCommits(), Clock()
        behind = spaced(commits, clock)
        await behind.offer({"p0": 3})
        clock.now += 0.5
        await behind.offer({"p0": 5})
        await ended(behind)

        clock.now += 0.5
        await behind.tick()
        await ended(behind)

        assert ([{"p0": 3}, {"p0": 5}], {}) == (commits.done, behind.waiting)

    async def test_one_commit_at_a_time(self) -> None:
        """While a commit runs, due offsets wait for it to end: commits stay in order."""
        commits, clock = DictCommits(), Clock()
        commits.gate.clear()
        behind = spaced(commits, clock, every_s=0.0)
        await behind.offer({"p0": 3})
        await behind.offer({"p0": 5})
        held = (list(commits.done), behind.waiting)

        commits.gate.set()
        await ended(behind)
        await behind.tick()
        await ended(behind)

        assert (([], {"p0": 5}), [{"p0": 3}, {"p0": 5}]) == (held, commits.done)

    async def test_flush_commits_what_waits_and_waits_for_it(self) -> None:
        """A revocation or a stop commits the waiting offsets at once, whatever the interval."""
        commits, clock = DictCommits(), Clock()
        behind = spaced(commits, clock)
        await behind.offer({"p0": 3})
        await behind.offer({"p0": 5})

        await behind.flush()

        assert ([{"p0": 3}, {"p0": 5}], {}) == (commits.done, behind.waiting)

    async def test_an_error_surfaces_at_the_next_tick(self) -> None:
        """A failed commit raises at the next ``tick``, not before."""
        commits, clock = DictCommits(), Clock()
        commits.fail = True
        behind = spaced(commits, clock)
        await behind.offer({"p0": 3})
        await ended(behind)

        with pytest.raises(RuntimeError, match="commit failed"):
            await behind.tick()

    async def test_abandon_forgets_what_waits(self) -> None:
        """After a failure elsewhere, waiting offsets are not committed (the batch repeats)."""
        commits, clock = DictCommits(), Clock()
        behind = spaced(commits, clock)
        await behind.offer({"p0": 3})
        await behind.offer({"p0": 5})

        await behind.abandon()

        assert ([{"p0": 3}], {}) == (commits.done, behind.waiting)
