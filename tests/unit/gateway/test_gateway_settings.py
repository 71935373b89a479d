"""The gateway's configuration: contract variable names, hidden secrets, routes switched off."""

from __future__ import annotations

import pytest

from workers.cli import expand
from workers.gateway.providers import JSON_LIMIT, MAIL_LIMIT, bearer_tokens, providers
from workers.settings import Settings

ENV = {
    "LEADFLOW_GATEWAY_PORT": "9999",
    "LEADFLOW_GATEWAY_TOKENS": " a-token , b-token ,",
    "LEADFLOW_MAILGUN_SIGNING_KEY": "mg-key",
    "LEADFLOW_SENDGRID_PUBLIC_KEY": "sg-key",
    "LEADFLOW_POSTMARK_WEBHOOK_USER": "pm-user",
    "LEADFLOW_POSTMARK_WEBHOOK_PASSWORD": "pm-pass",
    "LEADFLOW_CALENDLY_SIGNING_KEY": "cy-key",
    "LEADFLOW_CALCOM_SECRET": "cc-secret",
}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' own variables only: none of the machine's LEADFLOW_* gateway settings."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


class TestSettings:
    def test_contract_variables_configure_every_route(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each contract variable reaches its route's secret."""
        for name, value in ENV.items():
            monkeypatch.setenv(name, value)
        settings = Settings()
        secrets = {name: p.secret for name, p in providers(settings).items()}
        assert {
            "mailgun": "mg-key",
            "sendgrid": "sg-key",
            "postmark": "pm-user:pm-pass",
            "calendly": "cy-key",
            "calcom": "cc-secret",
        } == secrets
        assert ["a-token", "b-token"] == bearer_tokens(settings)
        assert 9999 == settings.gateway_port

    def test_secrets_never_show_in_the_settings_repr(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A logged settings object shows no secret."""
        for name, value in ENV.items():
            monkeypatch.setenv(name, value)
        text = repr(Settings())
        assert not [v for v in ("mg-key", "sg-key", "pm-pass", "cy-key", "cc-secret") if v in text]

    def test_unset_secrets_switch_routes_off(self) -> None:
        """Without secrets no provider has a route and there are no bearer tokens."""
        settings = Settings(postmark_webhook_user="only-the-user")
        assert {None} == {p.secret for p in providers(settings).values()}
        assert [] == bearer_tokens(settings)


class TestLimits:
    @pytest.mark.parametrize(
        ("provider", "content_type", "limit"),
        [
            ("calcom", "application/json", JSON_LIMIT),
            ("mailgun", "application/json", JSON_LIMIT),
            ("mailgun", "multipart/form-data; boundary=x", MAIL_LIMIT),
            ("sendgrid", "application/x-www-form-urlencoded", MAIL_LIMIT),
            ("postmark", "application/json", MAIL_LIMIT),
        ],
    )
    def test_json_takes_1_mib_and_mail_25(
        self, provider: str, content_type: str, limit: int
    ) -> None:
        """JSON bodies are limited to 1 MiB; bodies that carry inbound mail to 25 MiB."""
        assert limit == providers(Settings())[provider].limit(content_type)


class TestFleet:
    def test_run_all_includes_the_gateway(self) -> None:
        """`leadflow run all` runs the gateway with the workers."""
        assert "gateway" in expand(["all"])
        assert ["gateway"] == expand(["gateway"])
