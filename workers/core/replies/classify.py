"""What a reply is: the decision, in the order a careful reader would take it.

1. **Delivery reports.** A ``multipart/report; report-type=delivery-status`` is read by its
   ``Status:`` codes (``5.x.x`` bounce, ``4.x.x`` soft bounce; ``x.2.2`` "mailbox full" is soft
   whatever its class) and ``Action:`` (``failed`` / ``delayed``). Mail from a delivery system
   (mailer-daemon, postmaster, "Mail Delivery System", Exchange), or carrying
   ``X-Failed-Recipients``, or under a bounce subject in any language with an SMTP code in its
   text, is read by its SMTP codes ("550 5.1.1", "552 ...") and its failure wording.
2. **Automation.** RFC 3834 ``Auto-Submitted`` other than ``no``, ``X-Autoreply``,
   ``X-Autorespond``, ``Precedence: auto_reply|bulk|junk``, ``X-MS-Exchange-Inbox-Rules-Loop``,
   a no-reply sender, or an automatic subject prefix in any language ("Automatic reply:",
   "Abwesenheitsnotiz:", "Réponse automatique :", ...). ``X-Auto-Response-Suppress`` is a request
   to others, not a marker. An automatic message is an absence notice when its subject says so
   or its text has absence wording (a strong phrase such as "out of the office", or a hint such
   as "on vacation", "back on") or a return date attached to return / "until" wording ("back
   next Monday"), else an auto-reply ("I have left the company" is always an auto-reply).
3. **Unsubscribe** requests in the reply's own text, in any language of the tables.
4. **Absence without automation signals** needs a strong, template-like phrase plus a weight of
   3 in all (hints 1 each, notice boilerplate such as "for urgent matters" 1), or a strong
   phrase and a return date, and no sign of a person talking to us (a question, "let's talk",
   "hablamos", "sentiamoci"): "I'm out next week, call me after the 12th" is a person's reply.
5. **Auto-reply wording** without automation signals: a strong phrase ("this is an automated
   response"), never weak hints alone ("we will get back to you within 24 hours").
6. Everything else is ``human``.

Only the reply's own text counts (``split.own_text``), never the quoted thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from itertools import repeat

from schemas import ReplyKind
from workers.core.replies.dates import return_date
from workers.core.replies.mime import Mail, mail_from_parts, parse_message
from workers.core.replies.prefilter import Group
from workers.core.replies.result import Classification
from workers.core.replies.split import normalise, own_text
from workers.core.replies.tables import (
    LANGUAGES,
    NOTHING,
    Across,
    Language,
    Score,
    Weighted,
    across,
    across_weighted,
    short,
)

_SYSTEM_SENDER = re.compile(
    r"mailer-?daemon|postmaster|mail delivery (system|subsystem|service)|microsoftexchange"
    r"|mail-?daemon|bounce[sd]?@|mail administrator|mdaemon",
    re.IGNORECASE,
)
_NO_REPLY = re.compile(r"\b(no-?reply|do-?not-?reply|donotreply|noreply)[\w.+-]*@", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|rif|r|antw|res|ref|wg|fw|fwd|tr|rv)\s*:", re.I)
_ENHANCED = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
_BASIC = re.compile(r"(?<![\w.#+-])(5[0-5]\d|4[2-5]\d)(?:[ -]|: ?)(?=[A-Za-z#<])")
#: Where a delivery report starts quoting the original message (never read for codes).
_BOUNCE_ORIGINAL = re.compile(
    r"^.{0,12}(this is a copy of the message|original message (headers|follows)"
    r"|below this line is a copy|the (body|headers) of the message|message/rfc822"
    r"|original message|ursprüngliche nachricht"
    r"|en-têtes du message d'origine|urspr\S+ngliche nachrichtenkopfzeilen)",
    re.IGNORECASE | re.MULTILINE,
)
_PRECEDENCE = frozenset(("auto_reply", "bulk", "junk"))
_DELIVERED = frozenset(("delivered", "relayed", "expanded"))
#: A single line break inside a paragraph (the writer's client wrapped the line).
_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?=\S)")
#: Longest subject read (characters).
_MAX_SUBJECT = 1000
_WORD = re.compile(r"[^\W\d_]+")
_PUNCT = re.compile(r"[^\w\s]+")
_MAX_TOKENS = 60
_ORDER = tuple(lang.code for lang in LANGUAGES)
#: Each stopword with the languages it belongs to.
_STOPWORDS: dict[str, tuple[str, ...]] = {
    word: tuple(lang.code for lang in LANGUAGES if word in lang.stopwords)
    for word in sorted(set().union(*(lang.stopwords for lang in LANGUAGES)))
}
#: Bits per language in a packed count: room for ``_MAX_TOKENS`` (a count never carries over).
_COUNT_BITS = _MAX_TOKENS.bit_length()
_COUNT_MASK = (1 << _COUNT_BITS) - 1
#: Each stopword as one integer holding a 1 in the count field of each of its languages (the
#: field of ``_ORDER[i]`` starts at bit ``i * _COUNT_BITS``): summing a text's words counts
#: every language at once.
_PACKED: dict[str, int] = {
    word: sum(1 << (_ORDER.index(code) * _COUNT_BITS) for code in codes)
    for word, codes in _STOPWORDS.items()
}
#: Characters read at first for the first ``_MAX_TOKENS`` words (the rest only when needed).
_LANGUAGE_WINDOW = 1024
#: Every ASCII character that is no letter, as a space (what ``_WORD`` does not take).
_ASCII_NON_LETTERS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})
#: Wording weights (strong phrase 2, weak hint 1, boilerplate 1) a message needs without
#: automation signals: absence wording with a strong phrase and 3 in all (or a return date).
_ABSENCE = 3
#: A reply of at most this many words that is just "STOP", "unsubscribe", ... is a request.
_WHOLE_REQUEST_WORDS = 8
#: How far before an unsubscribe phrase a negation is looked for (characters).
_NEGATION_WINDOW = 40
#: Each category of the tables across the languages (one look-up says whether any may match).
_DEPARTED = across(lambda lang: lang.departed)
_CONVERSATION = across(lambda lang: lang.conversation)
_UNSUBSCRIBE = across(lambda lang: lang.unsubscribe)
_SUBJECT_OOO = across(lambda lang: lang.subject_ooo)
_SUBJECT_AUTO = across(lambda lang: lang.subject_auto)
_SUBJECT_SOFT = across(lambda lang: lang.subject_soft)
_SUBJECT_BOUNCE = across(lambda lang: lang.subject_bounce)
_BOUNCE_TEMPORARY = across(lambda lang: lang.bounce_temporary)
_BOUNCE_FAILURE = across(lambda lang: lang.bounce_failure)
_ABSENCE_WORDING = across_weighted(lambda lang: lang.absence)
_AUTO_REPLY_WORDING = across_weighted(lambda lang: lang.auto_reply)


def classify_message(raw: bytes) -> Classification:
    """Classify one raw RFC 5322 message (``mime.NotAMessage`` when it is none)."""
    return classify_mail(parse_message(raw))


def classify_parts(
    subject: str | None,
    body_text: str | None,
    headers: Mapping[str, str] | None,
    sent_date: datetime | None,
) -> Classification:
    """Classify a v1 event's fields (no raw message): subject, body text, headers, its date."""
    return classify_mail(mail_from_parts(subject, body_text, headers, sent_date))


def classify_mail(mail: Mail) -> Classification:
    """Classify a parsed message (see the module docstring for the order)."""
    # A subject is one line; a v1 event's may be anything, so it is bounded before any pattern.
    subject = " ".join(mail.subject[:_MAX_SUBJECT].split())
    if subject != mail.subject:
        mail = replace(mail, subject=subject)
    lines = own_text(mail.body)
    # Phrases are read across the writer's line wraps ("I'd prefer not to\nreceive ...").
    own = _SOFT_BREAK.sub(" ", lines) if "\n" in lines else lines
    own_language = detect_language(own)
    language = own_language or detect_language(mail.subject) or LANGUAGES[0].code
    report = _delivery_report(mail) or _bounce_by_text(mail)
    if report is not None:
        return Classification(report[0], None, language, report[1])
    automation = _automation(mail.headers) or _read_receipt(mail) or _subject_prefix(mail.subject)
    departed = _first(own, _DEPARTED)
    if automation is not None:
        return _automatic(mail, own, language, automation, departed)
    unsubscribe, written_in = _unsubscribe(own, lines)
    if not unsubscribe:
        unsubscribe, written_in = _unsubscribe_subject(mail.subject)
    if unsubscribe:
        # "Cancellatemi" has no stopword: the request's own language says it.
        language = own_language or written_in
        return Classification(ReplyKind.UNSUBSCRIBE, None, language, unsubscribe)
    if departed:
        return Classification(ReplyKind.AUTO_REPLY, None, language, f'wording "{departed}"')
    return _by_wording(mail, own, language)


def _automatic(
    mail: Mail, own: str, language: str, automation: tuple[str, str], departed: str
) -> Classification:
    kind, evidence = automation
    if departed:
        return Classification(
            ReplyKind.AUTO_REPLY, None, language, f'{evidence}; wording "{departed}"'
        )
    absence = _absence(own)
    text = f"{own}\n\n{mail.subject}"
    if kind == ReplyKind.OUT_OF_OFFICE or absence.strong or absence.hints:
        phrase = absence.phrase
        detail = f'; absence wording "{phrase}"' if phrase else ""
        back = return_date(text, mail.sent, language)
        return Classification(ReplyKind.OUT_OF_OFFICE, back, language, evidence + detail)
    # An automatic answer that says when its writer is back ("back next Monday", "me
    # reincorporo el 11/01", "Out of the workshop until Wednesday") is an absence notice.
    back = return_date(text, mail.sent, language, anchored=True)
    if back is not None:
        detail = f"; return date {back.isoformat()}"
        return Classification(ReplyKind.OUT_OF_OFFICE, back, language, evidence + detail)
    return Classification(ReplyKind.AUTO_REPLY, None, language, evidence)


def _by_wording(mail: Mail, own: str, language: str) -> Classification:
    absence = _absence(own)
    if absence.strong and not _any(own, _CONVERSATION):
        back = return_date(f"{own}\n\n{mail.subject}", mail.sent, language)
        if absence.total >= _ABSENCE or back is not None:
            evidence = f'absence wording "{absence.phrase}" without automation headers'
            return Classification(ReplyKind.OUT_OF_OFFICE, back, language, evidence)
    auto = _best_score(own, _AUTO_REPLY_WORDING, lambda lang: lang.auto_reply)
    if auto.strong:
        evidence = f'automatic-reply wording "{auto.phrase}"'
        return Classification(ReplyKind.AUTO_REPLY, None, language, evidence)
    return Classification(ReplyKind.HUMAN, None, language, "no automation signal")


def detect_language(text: str) -> str:
    """The language whose stopwords occur most often in ``text`` ("" when none does).

    A cheap, deterministic score over the tables' stopwords; on a tie the language listed first
    (English, then alphabetical) wins. Only the first words count: in a bilingual notice the
    language written first is the notice's language.
    """
    lowered = text.lower()
    # Words are read in a window first: when it holds more than enough words, the ones that
    # count all ended inside it (only the last word read can have been cut by the window).
    words = _words(lowered[:_LANGUAGE_WINDOW])
    if len(words) <= _MAX_TOKENS and len(lowered) > _LANGUAGE_WINDOW:
        words = _words(lowered)
    packed = sum(map(_PACKED.get, words[:_MAX_TOKENS], repeat(0)))
    if not packed:
        return ""
    best, best_count = "", 0
    for code in _ORDER:
        count = packed & _COUNT_MASK
        if count > best_count:
            best, best_count = code, count
        packed >>= _COUNT_BITS
    return best


def _words(lowered: str) -> list[str]:
    """``_WORD.findall(lowered)``: in ASCII text a word is a run of letters, found faster."""
    if lowered.isascii():
        return lowered.translate(_ASCII_NON_LETTERS).split()
    return _WORD.findall(lowered)


def _first_match(text: str, category: Across) -> re.Match[str] | None:
    """The first language's match of ``category`` in ``text``, or None."""
    if not category.group.may_match(text):
        return None
    for _, pattern in category.patterns:
        match = pattern.search(text)
        if match:
            return match
    return None


def _first(text: str, category: Across) -> str:
    """The first phrase any language's pattern of ``category`` finds in ``text``, or ""."""
    match = _first_match(text, category)
    return short(match.group(0)) if match else ""


def _best_score(own: str, group: Group, pick: Callable[[Language], Weighted]) -> Score:
    """The score of the language whose wording (``pick(lang)``) ``own`` matches best."""
    if not group.may_match(own):
        return NOTHING
    return max((pick(lang).score(own) for lang in LANGUAGES), key=lambda s: s.total)


def _absence(own: str) -> Score:
    """The absence score of the language whose wording ``own`` matches best."""
    return _best_score(own, _ABSENCE_WORDING, lambda lang: lang.absence)


def _unsubscribe(own: str, lines: str | None = None) -> tuple[str, str]:
    """``(evidence, language of the words)`` of an unsubscribe request, else ``("", "")``.

    ``own`` is the text with line wraps joined; ``lines`` the same text as written (its first
    line is the whole request of a "STOP" reply).
    """
    phrase, code = _unsubscribe_phrase(own)
    if phrase:
        return f'unsubscribe wording "{phrase}"', code
    if len(own.split()) > _WHOLE_REQUEST_WORDS:
        return "", ""
    lines = own if lines is None else lines
    first_line = _PUNCT.sub(" ", lines.split("\n", 1)[0]).lower().split()
    if first_line:
        words = " ".join(first_line)
        for lang in LANGUAGES:
            if words in lang.unsubscribe_whole:
                return f'unsubscribe request "{words}"', lang.code
    return "", ""


def _unsubscribe_subject(subject: str) -> tuple[str, str]:
    """A request made in the subject of a new message (a ``List-Unsubscribe`` mailto, Gmail's
    "This message was automatically generated by Gmail."). A reply's subject ("Re: ...") is ours,
    never a request.
    """
    subject = normalise(subject)
    if _REPLY_PREFIX.match(subject):
        return "", ""
    evidence, code = _unsubscribe(subject)
    return (f"subject: {evidence}", code) if evidence else ("", "")


def _unsubscribe_phrase(own: str) -> tuple[str, str]:
    """The first unsubscribe phrase not turned around by a negation before it, and its language."""
    if not _UNSUBSCRIBE.group.may_match(own):
        return "", ""
    for lang in LANGUAGES:
        for match in lang.unsubscribe.finditer(own):
            before = own[max(0, match.start() - _NEGATION_WINDOW) : match.start()]
            if not lang.unsubscribe_negation.search(before):
                return short(match.group(0)), lang.code
    return "", ""


def _automation(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """``(kind hint, evidence)`` from the automation headers, or None."""
    submitted = headers.get("auto-submitted", "").strip().lower()
    if submitted and not submitted.startswith("no"):
        return ReplyKind.AUTO_REPLY, f"header Auto-Submitted: {submitted}"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-autogenerated"):
        value = headers.get(name, "").strip().lower()
        if value and value not in ("no", "false", "0"):
            return ReplyKind.AUTO_REPLY, f"header {name}"
    for name in ("precedence", "x-precedence"):
        value = headers.get(name, "").strip().lower()
        if value in _PRECEDENCE:
            return ReplyKind.AUTO_REPLY, f"header {name}: {value}"
    if "x-ms-exchange-inbox-rules-loop" in headers:
        return ReplyKind.AUTO_REPLY, "header X-MS-Exchange-Inbox-Rules-Loop"
    if _NO_REPLY.search(headers.get("from", "")):
        return ReplyKind.AUTO_REPLY, "no-reply sender"
    return None


def _read_receipt(mail: Mail) -> tuple[str, str] | None:
    """A message disposition notification (RFC 8098 read receipt) is an automatic answer."""
    if mail.report_type == "disposition-notification":
        return ReplyKind.AUTO_REPLY, "read receipt (disposition notification)"
    return None


def _subject_prefix(subject: str) -> tuple[str, str] | None:
    subject = normalise(subject)
    if _REPLY_PREFIX.match(subject):
        # "Re: Out of office?" is a person answering; automatic prefixes come first.
        return None
    match = _first_match(subject, _SUBJECT_OOO)
    if match:
        return ReplyKind.OUT_OF_OFFICE, f'subject "{short(match.group(0))}"'
    match = _first_match(subject, _SUBJECT_AUTO)
    if match:
        return ReplyKind.AUTO_REPLY, f'subject "{short(match.group(0))}"'
    return None


def _delivery_report(mail: Mail) -> tuple[ReplyKind, str] | None:
    """Bounce or soft bounce from a DSN's ``Status:`` / ``Action:`` fields."""
    if not mail.dsn:
        return None
    return _by_status(mail.dsn) or _by_action(mail.dsn)


def _by_status(dsn: tuple[tuple[str, str], ...]) -> tuple[ReplyKind, str] | None:
    statuses = [status for status, _ in dsn if status[:1] in ("4", "5")]
    hard = [s for s in statuses if s.startswith("5") and not _mailbox_full(s)]
    if hard:
        return ReplyKind.BOUNCE, f"delivery report Status {hard[0]}"
    # What is left is 4.x.x or x.2.2 (mailbox full): temporary.
    return (ReplyKind.SOFT_BOUNCE, f"delivery report Status {statuses[0]}") if statuses else None


def _by_action(dsn: tuple[tuple[str, str], ...]) -> tuple[ReplyKind, str] | None:
    actions = {action for _, action in dsn}
    if "failed" in actions:
        return ReplyKind.BOUNCE, "delivery report Action: failed"
    if "delayed" in actions:
        return ReplyKind.SOFT_BOUNCE, "delivery report Action: delayed"
    if actions <= _DELIVERED:
        return ReplyKind.AUTO_REPLY, "delivery report: delivered"
    return None


def _mailbox_full(status: str) -> bool:
    return status[1:].startswith(".2.2")


def _bounce_by_text(mail: Mail) -> tuple[ReplyKind, str] | None:
    """A delivery failure without (usable) DSN fields: sender, subject, SMTP codes, wording."""
    subject = normalise(mail.subject)
    replying = bool(_REPLY_PREFIX.match(subject))
    soft_subject = not replying and _any(subject, _SUBJECT_SOFT)
    hard_subject = not replying and _any(subject, _SUBJECT_BOUNCE)
    system = (
        bool(_SYSTEM_SENDER.search(mail.headers.get("from", "")))
        or "x-failed-recipients" in mail.headers
        or mail.report_type == "delivery-status"
        or (mail.headers.get("return-path", "").strip() == "<>" and (hard_subject or soft_subject))
    )
    if not (system or hard_subject or soft_subject):
        return None
    text = normalise(mail.body)
    original = _BOUNCE_ORIGINAL.search(text)
    text = text[: original.start()] if original else text
    code = _smtp_code(text)
    if not system and code is None:
        return None
    if code is not None:
        kind = _kind_of_code(code, text)
        return kind, f"SMTP code {code} in a delivery report"
    if soft_subject or _any(text, _BOUNCE_TEMPORARY):
        return ReplyKind.SOFT_BOUNCE, "temporary delivery failure wording from a mail system"
    if hard_subject or _any(text, _BOUNCE_FAILURE):
        return ReplyKind.BOUNCE, "delivery failure wording from a mail system"
    # Only a mail system gets here (anything else needed a code): one that reports no failure
    # (a delivery or relay notice) is still no person.
    return ReplyKind.AUTO_REPLY, "message from a mail system"


def _smtp_code(text: str) -> str | None:
    for enhanced in _ENHANCED.finditer(text):
        if enhanced.group(1) != "2":
            return enhanced.group(0)
    basic = _BASIC.search(text)
    return basic.group(1) if basic else None


def _kind_of_code(code: str, text: str) -> ReplyKind:
    full = code.startswith("4") or _mailbox_full(code) or code == "552"
    if full or ("." not in code and _any(text, _BOUNCE_TEMPORARY)):
        return ReplyKind.SOFT_BOUNCE
    return ReplyKind.BOUNCE


def _any(text: str, category: Across) -> bool:
    return _first_match(text, category) is not None
