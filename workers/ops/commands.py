"""``dispatch_ops``: the CLI's campaign, lead and leads subcommands, one small function each.

Each returns the process exit status; every failure a person can cause is a
:class:`~workers.errors.CliError` (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable

from schemas import CommandResult, LeadCommand
from workers.core import status_while
from workers.errors import CliError
from workers.ops import db, kafka_ops, suppress
from workers.ops.inputs import check_id, manual_command, parse_campaign, read_text
from workers.ops.render import EXIT_CODES, result_line, show_lines, table_lines
from workers.settings import Settings

#: Where the output goes (tests and the demo capture it).
Printer = Callable[[str], None]


async def dispatch_ops(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``campaign put``, ``lead <action>``, ``lead show`` or ``leads list``."""
    quiet_client_logs()
    if args.command == "campaign":
        return await campaign_put(settings, args.file, timeout_s=getattr(args, "timeout", 30.0))
    if args.command == "leads":
        return await leads_list(
            settings,
            campaign_id=args.campaign,
            status=args.status,
            limit=args.limit,
            as_json=args.json,
        )
    if args.command in {"suppress", "suppressions"}:
        return await dispatch_suppress(args, settings)
    if args.command == "lead" and args.verb == "show":
        return await lead_show(settings, args.campaign_id, args.lead_id)
    if args.command == "lead":
        command = manual_command(
            args.verb,
            args.campaign_id,
            args.lead_id,
            actor=args.actor,
            until=args.until,
            reason=args.reason,
        )
        return await lead_action(settings, command, timeout_s=args.timeout)
    raise CliError(f"unknown command {args.command!r}")


async def dispatch_suppress(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``suppress add``, ``suppress remove`` or ``suppressions list``."""
    if args.command == "suppressions":
        return await suppress.suppressions_list(settings, reason=args.reason, as_json=args.json)
    if args.timeout <= 0:
        raise CliError(f"--timeout {args.timeout:g} must be a positive number of seconds")
    if args.verb == "add":
        return await suppress.suppress_add(
            settings, args.lead_id, reason=args.reason, note=args.note, timeout_s=args.timeout
        )
    return await suppress.suppress_remove(settings, args.lead_id, timeout_s=args.timeout)


def quiet_client_logs() -> None:
    """Keep aiokafka's and asyncpg's own log lines off stderr: the CLI reports in one line."""
    for name in ("aiokafka", "kafka", "asyncpg"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False


async def campaign_put(
    settings: Settings, path: str, *, timeout_s: float = 30.0, out: Printer = print
) -> int:
    """Validate the CampaignSettings in ``path`` (``-``: stdin) and publish them."""
    text, source = read_text(path)
    campaign = parse_campaign(text, source)
    topic = await kafka_ops.put_campaign(settings, campaign, timeout_s)
    out(
        f"published campaign {campaign.campaign_id} version {campaign.version}"
        f" ({campaign.status}, {len(campaign.steps)} steps) to {topic}"
    )
    return 0


async def lead_action(
    settings: Settings, command: LeadCommand, *, timeout_s: float, out: Printer = print
) -> int:
    """Send ``command``, print its CommandResult; 0 applied/ignored, 1 rejected, 2 no answer."""
    result = await request(settings, command, timeout_s=timeout_s)
    out(result_line(result))
    return EXIT_CODES[result.outcome]


async def request(settings: Settings, command: LeadCommand, *, timeout_s: float) -> CommandResult:
    """Send ``command`` and return its CommandResult; a CliError when none comes in time."""
    if timeout_s <= 0:
        raise CliError(f"--timeout {timeout_s:g} must be a positive number of seconds")
    result = await kafka_ops.send_command(settings, command, timeout_s)
    if result is None:
        raise CliError(
            f"no answer to {command.action} {command.campaign_id}/{command.lead_id} within"
            f" {timeout_s:g}s (command {command.command_id}): is the sequencer running?"
        )
    return result


async def lead_show(
    settings: Settings, campaign_id: str, lead_id: str, *, out: Printer = print
) -> int:
    """Print a lead's stored status and why it is (not) sending; exit 1 when unknown."""
    check_id("campaign id", campaign_id)
    check_id("lead id", lead_id)
    view = await db.fetch_lead(settings.database_url, campaign_id, lead_id)
    if view is None:
        raise CliError(f"lead {lead_id} is not enrolled in campaign {campaign_id}", exit_code=1)
    for line in show_lines(view.state, view.campaign, view.now, view.suppression):
        out(line)
    return 0


async def leads_list(
    settings: Settings,
    *,
    campaign_id: str | None = None,
    status: str | None = None,
    limit: int = 1000,
    as_json: bool = False,
    out: Printer = print,
) -> int:
    """Print the leads matching the filters as a table or JSON lines (LeadStatus-shaped)."""
    if campaign_id is not None:
        check_id("campaign id", campaign_id)
    found = await db.list_leads(
        settings.database_url, campaign_id=campaign_id, status=status, limit=limit
    )
    if as_json:  # JSON lines and nothing else, not even for an empty result
        for state in found.states:
            status_of = status_while(state, found.suppressions.get(state.lead_id))
            out(json.dumps(status_of.model_dump(mode="json")))
        return 0
    if not found.states:
        out("no leads match")
        return 0
    for line in table_lines(found.states, found.now):
        out(line)
    return 0
