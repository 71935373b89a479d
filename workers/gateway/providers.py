"""The provider routes: each provider's module, its secret from the settings, its body limits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import Any

from workers.gateway import calcom, calendly, mailgun, postmark, sendgrid
from workers.gateway.core import Result
from workers.settings import Settings

#: The most bytes of a JSON body (events).
JSON_LIMIT = 1024 * 1024
#: The most bytes of a body that carries a whole inbound message.
MAIL_LIMIT = 25 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Provider:
    """One provider's pure functions and what the HTTP layer needs to serve its route."""

    name: str
    verify: Callable[[Mapping[str, str], bytes, str, datetime], bool]
    parse: Callable[[Mapping[str, str], bytes, datetime], Any]
    map: Callable[[Any], list[Result]]
    #: The secret that ``verify`` checks with; None: the provider has no route (404).
    secret: str | None
    #: True when any body may carry an inbound message (25 MiB); else only form bodies may.
    mail_in_json: bool = False

    def limit(self, content_type: str) -> int:
        """The body size limit for a request of ``content_type``."""
        form = content_type.lower().startswith(
            ("multipart/form-data", "application/x-www-form-urlencoded")
        )
        return MAIL_LIMIT if form or self.mail_in_json else JSON_LIMIT


def _secret(settings: Settings, field: str) -> str | None:
    value = getattr(settings, field)
    return None if value is None else str(value.get_secret_value()) or None


def _postmark_secret(settings: Settings) -> str | None:
    user = _secret(settings, "postmark_webhook_user")
    password = _secret(settings, "postmark_webhook_password")
    return None if user is None or password is None else f"{user}:{password}"


def _provider(module: ModuleType, secret: str | None, *, mail_in_json: bool = False) -> Provider:
    return Provider(
        name=module.NAME,
        verify=module.verify,
        parse=module.parse,
        map=module.map,
        secret=secret,
        mail_in_json=mail_in_json,
    )


def providers(settings: Settings) -> dict[str, Provider]:
    """Every provider route, by name (``/v1/webhooks/<name>``)."""
    return {
        "mailgun": _provider(mailgun, _secret(settings, "mailgun_signing_key")),
        "sendgrid": _provider(sendgrid, _secret(settings, "sendgrid_public_key")),
        # Postmark's inbound mail comes as JSON on the same route.
        "postmark": _provider(postmark, _postmark_secret(settings), mail_in_json=True),
        "calendly": _provider(calendly, _secret(settings, "calendly_signing_key")),
        "calcom": _provider(calcom, _secret(settings, "calcom_secret")),
    }


def bearer_tokens(settings: Settings) -> list[str]:
    """The bearer tokens of ``/v1/events/*`` (empty: those routes answer 404)."""
    raw = _secret(settings, "gateway_tokens") or ""
    return [token.strip() for token in raw.split(",") if token.strip()]
