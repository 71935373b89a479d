"""The tracking settings: LEADFLOW_TRACKING_SECRET and LEADFLOW_MESSAGE_ID_DOMAIN."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from workers.errors import CliError
from workers.settings import Settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tracking variable leaks in from the environment of the test run."""
    monkeypatch.delenv("LEADFLOW_TRACKING_SECRET", raising=False)
    monkeypatch.delenv("LEADFLOW_MESSAGE_ID_DOMAIN", raising=False)


class TestTrackingSecret:
    """``tracking_secrets`` parses the rotation list or explains in one line what is missing."""

    def test_read_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The comma-separated variable becomes the list, first one signing."""
        monkeypatch.setenv("LEADFLOW_TRACKING_SECRET", "new-one, old-one")
        assert (b"new-one", b"old-one") == Settings().tracking_secrets().keys

    def test_unset_is_one_clear_line(self) -> None:
        """Unset: a CliError naming the variable and who needs it."""
        with pytest.raises(CliError, match="LEADFLOW_TRACKING_SECRET is not set") as caught:
            Settings().tracking_secrets()
        assert 1 == len(str(caught.value).splitlines())

    def test_blank_is_refused(self) -> None:
        """A value of only commas and blanks holds no secret."""
        with pytest.raises(CliError, match="holds no secret"):
            Settings(tracking_secret=SecretStr(" , ")).tracking_secrets()

    def test_never_shown(self) -> None:
        """The secret never appears in the settings' repr (what a log line would show)."""
        settings = Settings(tracking_secret=SecretStr("very-secret-value"))
        assert "very-secret-value" not in repr(settings)
        assert "very-secret-value" not in repr(settings.tracking_secrets())


class TestMessageIdDomain:
    """``message_id_domain`` is a domain name, ``leadflow.invalid`` by default."""

    def test_default(self) -> None:
        """Unset: the reserved ``leadflow.invalid``."""
        assert "leadflow.invalid" == Settings().message_id_domain

    def test_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The sending domain, as given."""
        monkeypatch.setenv("LEADFLOW_MESSAGE_ID_DOMAIN", "mail.example.com")
        assert "mail.example.com" == Settings().message_id_domain

    @pytest.mark.parametrize("domain", ["", "a b.com", "-x.com", "x..com", "<x>", "a@b.com"])
    def test_not_a_domain(self, domain: str) -> None:
        """Anything that would break the Message-ID's syntax is refused."""
        with pytest.raises(ValidationError, match="LEADFLOW_MESSAGE_ID_DOMAIN"):
            Settings(message_id_domain=domain)
