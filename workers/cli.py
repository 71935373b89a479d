"""The ``leadflow`` command line (see the contract's "CLI and configuration").

Every error a person can cause (bad arguments, a bad file, an unreachable broker) prints one
line on stderr and exits non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import NoReturn

from pydantic import ValidationError

from schemas.enums import Action, LeadStatusValue, SuppressionReason
from workers.errors import CliError, describe_validation_error
from workers.protocol import WorkerFactory
from workers.settings import Settings

#: The workers ``leadflow run`` starts, in the order ``all`` lists them.
WORKER_NAMES = ("replies", "clicks", "bookings", "sequencer", "gateway")
#: ``leadflow lead ACTION``: every command action but ``continue`` (automation only).
LEAD_ACTIONS = tuple(action.value for action in Action if action is not Action.CONTINUE)
#: ``leadflow suppress add --reason`` and ``suppressions list --reason``.
SUPPRESSION_REASONS = tuple(reason.value for reason in SuppressionReason)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="leadflow", description="leadflow: sales-outreach lead automation.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    setup = sub.add_parser("setup", help="create topics and apply the database schema")
    setup.add_argument("--partitions", type=_positive, default=6)
    setup.add_argument("--replication-factor", type=_positive, default=1)
    run = sub.add_parser(
        "run", help="run workers: replies | clicks | bookings | sequencer | gateway | all"
    )
    run.add_argument("workers", nargs="+", metavar="WORKER")
    _add_campaign(sub)
    _add_lead(sub)
    leads = sub.add_parser("leads", help="list leads").add_subparsers(dest="verb", required=True)
    listing = leads.add_parser("list", help="list leads with their status")
    listing.add_argument("--campaign", metavar="ID")
    listing.add_argument("--status", choices=[status.value for status in LeadStatusValue])
    listing.add_argument("--limit", type=_positive, default=1000)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    classify = sub.add_parser("classify", help="classify one raw reply message: one JSON object")
    classify.add_argument("file", metavar="FILE|-")
    _add_suppress(sub)
    return parser


def _add_campaign(sub: argparse._SubParsersAction[_Parser]) -> None:
    campaign = sub.add_parser("campaign", help="campaign settings")
    verbs = campaign.add_subparsers(dest="verb", required=True)
    put = verbs.add_parser("put", help="validate and publish CampaignSettings")
    put.add_argument("file", metavar="FILE|-")
    put.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")


def _add_lead(sub: argparse._SubParsersAction[_Parser]) -> None:
    lead = sub.add_parser("lead", help="act on one lead")
    verbs = lead.add_subparsers(dest="verb", required=True)
    for action in LEAD_ACTIONS:
        cmd = verbs.add_parser(action, help=f"{action} a lead and wait for the result")
        cmd.add_argument("campaign_id")
        cmd.add_argument("lead_id")
        # Every verb takes --until, as the contract's synopsis has it; only pause uses it, the
        # others refuse it with a one-line reason.
        cmd.add_argument("--until", metavar="TS", help="pause only: resume by itself then")
        cmd.add_argument("--reason", metavar="TEXT")
        cmd.add_argument("--actor", metavar="NAME", help="who acts (default: $USER)")
        cmd.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    show = verbs.add_parser("show", help="a lead's status and why it is (not) sending")
    show.add_argument("campaign_id")
    show.add_argument("lead_id")


def _add_suppress(sub: argparse._SubParsersAction[_Parser]) -> None:
    suppress = sub.add_parser("suppress", help="the do-not-contact list (every campaign)")
    verbs = suppress.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="suppress a lead_id: stopped everywhere, never enrolled")
    add.add_argument("lead_id")
    add.add_argument("--reason", choices=SUPPRESSION_REASONS, default="manual")
    add.add_argument("--note", metavar="TEXT")
    add.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    remove = verbs.add_parser("remove", help="lift a suppression: new enrolments allowed")
    remove.add_argument("lead_id")
    remove.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    listing = sub.add_parser("suppressions", help="list suppressions").add_subparsers(
        dest="verb", required=True
    )
    shown = listing.add_parser("list", help="the suppressions in force")
    shown.add_argument("--reason", choices=SUPPRESSION_REASONS)
    shown.add_argument("--json", action="store_true", help="one JSON object per line")


def worker_registry() -> dict[str, WorkerFactory]:
    """Every worker ``leadflow run`` knows, by name: the one place the fleet is wired."""
    # Imported here so that `leadflow setup` or the CLI never pays for the workers' imports.
    from workers.gateway.service import gateway_factory  # noqa: PLC0415
    from workers.ingest.clicks import clicks_factory  # noqa: PLC0415
    from workers.ingest.worker import ingest_factory  # noqa: PLC0415
    from workers.sequencer.worker import sequencer_factory  # noqa: PLC0415

    return {
        "replies": ingest_factory("replies"),
        "clicks": clicks_factory,
        "bookings": ingest_factory("bookings"),
        "sequencer": sequencer_factory,
        "gateway": gateway_factory,
    }


def expand(names: Sequence[str]) -> list[str]:
    """``all`` stands for every worker; duplicates collapse; unknown names raise ValueError."""
    wanted: list[str] = []
    for name in names:
        for item in WORKER_NAMES if name == "all" else (name,):
            if item not in WORKER_NAMES:
                raise ValueError(
                    f"unknown worker {item!r}: choose from {', '.join(WORKER_NAMES)}, all"
                )
            if item not in wanted:
                wanted.append(item)
    return wanted


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> NoReturn:
    args = build_parser().parse_args(argv)
    try:
        code = _dispatch(args)
    except CliError as exc:
        sys.stderr.write(f"leadflow: {exc}\n")
        code = exc.exit_code
    except ValidationError as exc:
        sys.stderr.write(f"leadflow: {describe_validation_error(exc)}\n")
        code = 2
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "classify":
        from workers.ops.classify_cmd import classify  # noqa: PLC0415

        return classify(args.file)
    settings = Settings()
    if args.command == "setup":
        return asyncio.run(_setup(settings, args.partitions, args.replication_factor))
    if args.command == "run":
        from workers.runtime import run_workers  # noqa: PLC0415

        try:
            names = expand(args.workers)
        except ValueError as exc:
            raise CliError(str(exc)) from None
        settings.tracking_secrets()  # every worker signs or verifies tracking tokens
        registry = worker_registry()
        return asyncio.run(run_workers({name: registry[name] for name in names}, settings))
    from workers.ops.commands import dispatch_ops  # noqa: PLC0415

    return asyncio.run(dispatch_ops(args, settings))


async def _setup(settings: Settings, partitions: int, replication: int) -> int:
    from aiokafka.errors import KafkaError  # noqa: PLC0415

    from workers.preflight import check_database, check_kafka  # noqa: PLC0415
    from workers.setup_cmd import admin_url, setup  # noqa: PLC0415

    # Refused credentials or certificates stop here in one line; an unreachable service is
    # reported by setup itself. The database may not exist yet: check the server's own.
    await check_kafka(settings)
    await check_database(admin_url(settings.database_url))
    try:
        report = await setup(settings, partitions=partitions, replication_factor=replication)
    except (OSError, ConnectionError, KafkaError) as exc:
        raise CliError(f"setup failed: {exc}") from None
    for name in report.topics_created:
        print(f"created topic {name}")
    for name in report.topics_mismatched:
        print(f"warning: topic {name} exists with another partition count; left as it is")
    if report.database_created:
        print("created database")
    for version in report.migrations_applied:
        print(f"applied migration {version:04d}")
    if not report.changed:
        print("nothing to do: topics and schema are up to date")
    return 0
