"""Tracking tokens and Message-IDs: signing, verifying, rotation and reading threading headers."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workers.core.tokens import (
    DEFAULT_DOMAIN,
    TOKEN_LENGTH,
    ReplyLink,
    ReplyRef,
    Secrets,
    looks_like_token,
    message_id,
    message_ids_in,
    ref_for,
    ref_from_threading,
    sign,
    token_from_message_id,
    tracking,
    verify,
)

OLD = Secrets((b"old-secret",))
NEW = Secrets((b"new-secret", b"old-secret"))
OTHER = Secrets((b"someone-else",))
SEND = "c-42:l-7:3"
#: The token of SEND under OLD, pinned so that a change of format cannot pass unnoticed.
PINNED = sign(SEND, OLD)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PROPERTY = settings(max_examples=200, deadline=None)

ids_st = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}", fullmatch=True)
send_ids_st = st.builds(lambda c, lead, s: f"{c}:{lead}:{s}", ids_st, ids_st, st.integers(1, 999))
secret_st = st.binary(min_size=1, max_size=64)
secrets_st = st.lists(secret_st, min_size=1, max_size=4).map(lambda keys: Secrets(tuple(keys)))


class TestSecrets:
    """``Secrets`` holds the rotation list and never shows it."""

    def test_parse_splits_on_commas_and_strips(self) -> None:
        """The variable's value is a comma-separated list; blanks and empty items are dropped."""
        assert (b"new", b"old") == Secrets.parse(" new , old ,").keys

    def test_the_first_signs(self) -> None:
        """The first secret of the list is the signing one."""
        assert b"new" == Secrets.parse("new,old").signing

    @pytest.mark.parametrize("text", ["", " ", ",", " , "])
    def test_an_empty_list_is_refused(self, text: str) -> None:
        """A value with no secret in it is an error, not an unsigned fleet."""
        with pytest.raises(ValueError, match="at least one"):
            Secrets.parse(text)

    def test_an_empty_secret_is_refused(self) -> None:
        """A secret of no bytes is refused when built directly."""
        with pytest.raises(ValueError, match="none of them empty"):
            Secrets((b"a", b""))

    def test_repr_hides_the_secrets(self) -> None:
        """The repr says how many secrets there are, never what they are."""
        assert "Secrets(<2 hidden>)" == repr(Secrets.parse("top-secret-1,top-secret-2"))


class TestSign:
    """``sign`` gives each send one token of a fixed shape."""

    def test_shape(self) -> None:
        """Version ``1``, then 32 base64url characters: 33 in all."""
        assert re.fullmatch(r"1[A-Za-z0-9_-]{32}", PINNED)
        assert TOKEN_LENGTH == len(PINNED)

    def test_deterministic(self) -> None:
        """The same send under the same signing secret always gets the same token."""
        assert PINNED == sign(SEND, Secrets((b"old-secret", b"unused")))

    def test_sends_differ(self) -> None:
        """Two sends (here two steps of one lead) get different tokens."""
        assert sign("c-42:l-7:3", OLD) != sign("c-42:l-7:4", OLD)

    def test_secrets_differ(self) -> None:
        """Another signing secret gives another token for the same send."""
        assert sign(SEND, OLD) != sign(SEND, OTHER)

    def test_ref_is_the_tokens_first_half(self) -> None:
        """The ref the store is keyed by is what the token carries and verify returns."""
        assert ref_for(SEND, OLD) == verify(PINNED, OLD)
        assert 12 == len(ref_for(SEND, OLD))


class TestVerify:
    """``verify`` returns the ref of a token one of the secrets signed, and nothing else."""

    def test_verifies_its_own_token(self) -> None:
        """A token verifies under the secret that signed it."""
        assert ref_for(SEND, OLD) == verify(PINNED, OLD)

    def test_old_token_verifies_after_rotation(self) -> None:
        """After a new first secret is added, tokens signed with the old one still verify."""
        assert ref_for(SEND, OLD) == verify(PINNED, NEW)

    def test_new_tokens_are_signed_with_the_new_secret(self) -> None:
        """After rotation, new tokens no longer verify under the old secret alone."""
        assert verify(sign(SEND, NEW), OLD) is None
        assert verify(sign(SEND, NEW), NEW) is not None

    def test_retired_secret_no_longer_verifies(self) -> None:
        """Once the old secret is dropped from the list, its tokens stop verifying."""
        assert verify(PINNED, Secrets((b"new-secret",))) is None

    def test_another_secret_does_not_verify(self) -> None:
        """A token signed by someone else's secret is not ours."""
        assert verify(sign(SEND, OTHER), OLD) is None

    @pytest.mark.parametrize(
        "token",
        [
            "",
            PINNED[:-1],
            PINNED + "A",
            "2" + PINNED[1:],
            PINNED[:5] + "=" + PINNED[6:],
            PINNED[:5] + "+" + PINNED[6:],
            PINNED[:5] + "é" + PINNED[6:],
            f" {PINNED}",
            f"{PINNED}\n",
        ],
        ids=[
            "empty",
            "short",
            "long",
            "version",
            "padding",
            "plus",
            "non-ascii",
            "space",
            "newline",
        ],
    )
    def test_malformed_tokens_do_not_verify(self, token: str) -> None:
        """A token of the wrong shape never verifies."""
        assert verify(token, OLD) is None

    def test_a_forged_mac_does_not_verify(self) -> None:
        """A real ref with a made-up MAC does not verify."""
        assert verify(PINNED[:17] + "A" * 16, OLD) is None


class TestMessageId:
    """Message-IDs wrap a token, and a token is read back from one."""

    def test_format(self) -> None:
        """``<{token}@{domain}>``."""
        assert f"<{PINNED}@mail.example.com>" == message_id(PINNED, "mail.example.com")

    def test_default_domain(self) -> None:
        """Without a domain, the reserved ``leadflow.invalid``."""
        assert f"<{PINNED}@leadflow.invalid>" == message_id(PINNED)
        assert "leadflow.invalid" == DEFAULT_DOMAIN

    def test_tracking_bundles_ref_token_and_message_id(self) -> None:
        """``tracking`` gives what the sequencer stores and publishes for one send."""
        made = tracking(SEND, OLD, "mail.example.com")
        assert (ref_for(SEND, OLD), PINNED, f"<{PINNED}@mail.example.com>") == (
            made.ref,
            made.token,
            made.message_id,
        )

    @pytest.mark.parametrize(
        "text",
        [
            f"<{PINNED}@leadflow.invalid>",
            f"  <{PINNED}@mail.example.com>  ",
            f"{PINNED}@x",
            f"< {PINNED}@x >",
        ],
    )
    def test_token_from_message_id(self, text: str) -> None:
        """The local part is the token, whatever the domain, brackets or blanks."""
        assert PINNED == token_from_message_id(text)

    @pytest.mark.parametrize(
        "text",
        [
            "<CAF=abc123@mail.gmail.com>",
            f"<{PINNED}>",
            f"<x{PINNED}@x>",
            "",
            "<>",
        ],
    )
    def test_other_message_ids_hold_no_token(self, text: str) -> None:
        """A Message-ID whose local part is not token-shaped (or that has none) gives None."""
        assert token_from_message_id(text) is None

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("<a@x>", ["a@x"]),
            ("<a@x> <b@y>\r\n <c@z>", ["a@x", "b@y", "c@z"]),
            ("<a@x>,<b@y>", ["a@x", "b@y"]),
            ("(comment) <a@x> < >", ["a@x"]),
            ("a@x b@y", ["a@x", "b@y"]),
            ("a@x, b@y", ["a@x", "b@y"]),
            ("", []),
        ],
    )
    def test_message_ids_in(self, value: str, expected: list[str]) -> None:
        """Every id of a threading header, in order; bare ids are split on blanks and commas."""
        assert expected == message_ids_in(value)


class TestRefFromThreading:
    """``ref_from_threading`` finds the send a reply answers from its threading headers."""

    def test_in_reply_to(self) -> None:
        """Our Message-ID in In-Reply-To names the send."""
        found = ref_from_threading([message_id(PINNED)], [], OLD)
        assert ReplyRef(ReplyLink.FOUND, ref_for(SEND, OLD)) == found

    def test_references_newest_first(self) -> None:
        """Without In-Reply-To, the last of our ids in References wins, others are skipped."""
        step_2 = sign("c-42:l-7:2", OLD)
        value = f"{message_id(step_2)} {message_id(PINNED)} <CAF1@mail.gmail.com>"
        assert ref_for(SEND, OLD) == ref_from_threading([], [value], OLD).ref

    def test_in_reply_to_before_references(self) -> None:
        """In-Reply-To is read before References."""
        step_2 = sign("c-42:l-7:2", OLD)
        found = ref_from_threading([message_id(step_2)], [message_id(PINNED)], OLD)
        assert ref_for("c-42:l-7:2", OLD) == found.ref

    def test_a_forged_id_is_skipped_for_a_good_one(self) -> None:
        """A token-shaped id that does not verify does not hide a later one that does."""
        forged = message_id(PINNED[:17] + "A" * 16)
        found = ref_from_threading([forged], [message_id(PINNED)], OLD)
        assert ReplyLink.FOUND == found.link

    def test_forged_only(self) -> None:
        """Only token-shaped ids that do not verify: FORGED, no ref."""
        forged = message_id(sign(SEND, OTHER))
        assert ReplyRef(ReplyLink.FORGED) == ref_from_threading([forged], [], OLD)

    def test_absent(self) -> None:
        """No token-shaped id at all: ABSENT."""
        assert ReplyRef(ReplyLink.ABSENT) == ref_from_threading(["<a@b>"], ["<c@d>"], OLD)


class TestProperties:
    """Properties of tokens over any send, secrets and alteration."""

    @PROPERTY
    @given(send_ids_st, secrets_st)
    def test_length_and_charset(self, send_id: str, secrets: Secrets) -> None:
        """Every token is at most 80 characters of ``[A-Za-z0-9_-]`` (the contract's limit)."""
        token = sign(send_id, secrets)
        assert len(token) <= 80
        assert set(token) <= set(ALPHABET)
        assert looks_like_token(token)

    @PROPERTY
    @given(send_ids_st, secrets_st)
    def test_deterministic(self, send_id: str, secrets: Secrets) -> None:
        """Signing twice gives the same token; the ref depends only on the signing secret."""
        assert sign(send_id, secrets) == sign(send_id, secrets)
        assert ref_for(send_id, secrets) == ref_for(send_id, Secrets(secrets.keys[:1]))

    @PROPERTY
    @given(send_ids_st, secrets_st, st.data())
    def test_any_secret_of_the_list_verifies(
        self, send_id: str, secrets: Secrets, data: st.DataObject
    ) -> None:
        """A token signed with any one secret verifies under a list holding it anywhere."""
        signer = data.draw(st.sampled_from(secrets.keys))
        token = sign(send_id, Secrets((signer,)))
        assert ref_for(send_id, Secrets((signer,))) == verify(token, secrets)

    @PROPERTY
    @given(send_ids_st, secrets_st)
    def test_the_first_signs(self, send_id: str, secrets: Secrets) -> None:
        """The token of a list is the token of its first secret alone."""
        assert sign(send_id, Secrets(secrets.keys[:1])) == sign(send_id, secrets)

    @PROPERTY
    @given(send_ids_st, secrets_st, st.integers(0, TOKEN_LENGTH - 1), st.data())
    def test_a_flipped_character_never_verifies(
        self, send_id: str, secrets: Secrets, position: int, data: st.DataObject
    ) -> None:
        """Changing any one character of a token, to any other, makes it fail."""
        token = sign(send_id, secrets)
        other = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != token[position]))
        altered = token[:position] + other + token[position + 1 :]
        assert verify(altered, secrets) is None

    @PROPERTY
    @given(send_ids_st, secrets_st, secrets_st)
    def test_a_foreign_secret_never_verifies(
        self, send_id: str, ours: Secrets, theirs: Secrets
    ) -> None:
        """A token signed with secrets sharing none of ours never verifies."""
        assume(not set(ours.keys) & set(theirs.keys))
        assert verify(sign(send_id, theirs), ours) is None

    @PROPERTY
    @given(st.text(max_size=60))
    def test_arbitrary_text_never_verifies(self, text: str) -> None:
        """Random text, of any shape, is never a token of ours."""
        assert verify(text, OLD) is None

    @PROPERTY
    @given(send_ids_st, secrets_st)
    def test_message_id_round_trip(self, send_id: str, secrets: Secrets) -> None:
        """The token comes back out of the Message-ID made from it."""
        token = sign(send_id, secrets)
        assert token == token_from_message_id(message_id(token, "mail.example.com"))
