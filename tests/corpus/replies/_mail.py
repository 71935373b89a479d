# ruff: noqa: E501, PLR0917
"""Byte-level helpers for the reply corpus generator (see _build.py).

Messages are assembled by hand, header by header, so that the bytes look like
mail as it arrives (client-specific header order, folding, boundaries,
transfer encodings and charsets) rather than like the output of one library.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import quopri
import re
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

Headers = list[tuple[str, str]]


@dataclass
class Case:
    """One corpus message and its label."""

    file: str
    kind: str
    language: str
    raw: bytes
    return_date: str | None = None
    note: str = ""


@dataclass
class Corpus:
    """The list of cases being built, in file order."""

    cases: list[Case] = field(default_factory=list)

    def add(
        self,
        file: str,
        kind: str,
        language: str,
        raw: bytes,
        return_date: str | None = None,
        note: str = "",
    ) -> None:
        """Append one case; file names must be unique."""
        if any(c.file == file for c in self.cases):
            raise ValueError(f"duplicate corpus file {file}")
        self.cases.append(Case(file, kind, language, raw, return_date, note))


# --------------------------------------------------------------------------- dates

_WD_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MON_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date_header(
    y: int, m: int, d: int, hh: int = 9, mm: int = 0, tz: str = "+0100", ss: int = 0
) -> str:
    """An RFC 5322 Date value, weekday computed."""
    wd = _WD_EN[dt.date(y, m, d).weekday()]
    return f"{wd}, {d:02d} {_MON_EN[m - 1]} {y} {hh:02d}:{mm:02d}:{ss:02d} {tz}"


def date_header_nopad(
    y: int, m: int, d: int, hh: int = 9, mm: int = 0, tz: str = "+0100", ss: int = 0
) -> str:
    """Date value as Apple Mail / some MTAs write it (day not zero-padded)."""
    wd = _WD_EN[dt.date(y, m, d).weekday()]
    return f"{wd}, {d} {_MON_EN[m - 1]} {y} {hh:02d}:{mm:02d}:{ss:02d} {tz}"


_WD = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "pt": [
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ],
}
_MON_FR_ABBR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
_MON = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
}


@dataclass(frozen=True)
class Sent:
    """Our own outreach email, as quoted below a reply."""

    sender_name: str
    sender_addr: str
    to_name: str
    to_addr: str
    subject: str
    when: dt.datetime
    text: str
    message_id: str


def attribution(style: str, s: Sent) -> str:
    """The line a mail client writes above a quoted message."""
    w = s.when
    h = f"{w.hour:02d}:{w.minute:02d}"
    who = f"{s.sender_name} <{s.sender_addr}>"
    wd3 = _WD_EN[w.weekday()]
    mon3 = _MON_EN[w.month - 1]
    ampm = f"{(w.hour - 1) % 12 + 1}:{w.minute:02d}\u202f{'AM' if w.hour < 12 else 'PM'}"
    table = {
        "gmail-en": f"On {wd3}, {w.day} {mon3} {w.year} at {h}, {who} wrote:",
        "gmail-us": f"On {wd3}, {mon3} {w.day}, {w.year} at {ampm} {who} wrote:",
        "gmail-de": f"Am {_WD['de'][w.weekday()][:2]}., {w.day}. {_MON['de'][w.month - 1][:3]}. {w.year} um {h} Uhr schrieb {who}:",
        "gmail-fr": f"Le {_WD['fr'][w.weekday()][:3]}. {w.day} {_MON_FR_ABBR[w.month - 1]} {w.year} à {h}, {who} a écrit :",
        "gmail-es": f"El {_WD['es'][w.weekday()][:3]}, {w.day} {_MON['es'][w.month - 1][:3]} {w.year} a las {h}, {s.sender_name} (<{s.sender_addr}>) escribió:",
        "gmail-it": f"Il giorno {_WD['it'][w.weekday()][:3]} {w.day} {_MON['it'][w.month - 1][:3]} {w.year} alle ore {h} {who} ha scritto:",
        "gmail-nl": f"Op {_WD['nl'][w.weekday()][:2]} {w.day} {_MON['nl'][w.month - 1][:3]} {w.year} om {h} schreef {who}:",
        "gmail-pt": f"Em {_WD['pt'][w.weekday()][:3]}., {w.day} de {_MON['pt'][w.month - 1][:3]}. de {w.year} às {h}, {who} escreveu:",
        "apple-en": f"On {mon3} {w.day}, {w.year}, at {h}, {who} wrote:",
        "apple-de": f"Am {w.day:02d}.{w.month:02d}.{w.year} um {h} schrieb {who}:",
        "apple-fr": f"Le {w.day} {_MON_FR_ABBR[w.month - 1]} {w.year} à {h}, {who} a écrit :",
        "apple-nl": f"Op {w.day} {_MON['nl'][w.month - 1][:3]} {w.year}, om {h}, heeft {who} het volgende geschreven:",
        "apple-es": f"El {w.day} {_MON['es'][w.month - 1][:3]} {w.year}, a las {h}, {who} escribió:",
        "apple-it": f"Il giorno {w.day} {_MON['it'][w.month - 1][:3]} {w.year}, alle ore {h}, {who} ha scritto:",
        "apple-pt": f"Em {w.day} de {_MON['pt'][w.month - 1][:3]}. de {w.year}, à(s) {h}, {who} escreveu:",
        "tbird-en": f"On {w.day:02d}/{w.month:02d}/{w.year} {h}, {s.sender_name} wrote:",
        "tbird-de": f"Am {w.day:02d}.{w.month:02d}.{str(w.year)[2:]} um {h} schrieb {s.sender_name}:",
        "tbird-fr": f"Le {w.day:02d}/{w.month:02d}/{w.year} à {h}, {s.sender_name} a écrit :",
        "tbird-it": f"Il {w.day:02d}/{w.month:02d}/{w.year} {h}, {s.sender_name} ha scritto:",
        "tbird-nl": f"Op {w.day:02d}-{w.month:02d}-{w.year} om {h} schreef {s.sender_name}:",
    }
    return table[style]


def outlook_block(lang: str, s: Sent, *, original_message_line: bool = False) -> str:
    """The header block Outlook puts above the quoted message (not '>'-quoted)."""
    w = s.when
    lang = "en" if lang == "us" else lang
    wd = _WD[lang][w.weekday()]
    mon = _MON[lang][w.month - 1]
    h = f"{w.hour:02d}:{w.minute:02d}"
    if lang == "en":
        ampm = f"{(w.hour - 1) % 12 + 1}:{w.minute:02d} {'AM' if w.hour < 12 else 'PM'}"
        sent = f"{wd}, {mon} {w.day}, {w.year} {ampm}"
        labels = ("From", "Sent", "To", "Subject")
        sep = "-----Original Message-----"
    elif lang == "de":
        sent = f"{wd}, {w.day}. {mon} {w.year} {h}"
        labels = ("Von", "Gesendet", "An", "Betreff")
        sep = "-----Ursprüngliche Nachricht-----"
    elif lang == "fr":
        sent = f"{wd} {w.day} {mon} {w.year} {h}"
        labels = ("De\u00a0", "Envoyé\u00a0", "À\u00a0", "Objet\u00a0")
        sep = "-----Message d'origine-----"
    elif lang == "es":
        sent = f"{wd}, {w.day} de {mon} de {w.year} {h}"
        labels = ("De", "Enviado el", "Para", "Asunto")
        sep = "-----Mensaje original-----"
    elif lang == "it":
        sent = f"{wd} {w.day} {mon} {w.year} {h}"
        labels = ("Da", "Inviato", "A", "Oggetto")
        sep = "-----Messaggio originale-----"
    elif lang == "nl":
        sent = f"{wd} {w.day} {mon} {w.year} {h}"
        labels = ("Van", "Verzonden", "Aan", "Onderwerp")
        sep = "-----Oorspronkelijk bericht-----"
    else:
        sent = f"{wd}, {w.day} de {mon} de {w.year} {h}"
        labels = ("De", "Enviado", "Para", "Assunto")
        sep = "-----Mensagem original-----"
    lines = []
    if original_message_line:
        lines.append(sep)
    else:
        lines.append("_" * 32 if lang in {"en", "pt"} else "")
    lines += [
        f"{labels[0]}: {s.sender_name} <{s.sender_addr}>",
        f"{labels[1]}: {sent}",
        f"{labels[2]}: {s.to_name} <{s.to_addr}>",
        f"{labels[3]}: {s.subject}",
        "",
    ]
    return "\n".join(lines) + "\n" + s.text


def gt_quote(text: str, prefix: str = "> ") -> str:
    """'>'-quote every line, as most clients do (empty lines get a bare '>')."""
    return "\n".join((prefix + ln) if ln else prefix.rstrip() for ln in text.split("\n"))


def quoted(style: str, s: Sent) -> str:
    """Attribution line plus '>'-quoted original."""
    if style.startswith("apple"):
        # Apple Mail quotes the attribution line as well and puts a blank '>' after it
        return f"> {attribution(style, s)}\n> \n" + gt_quote(s.text)
    return attribution(style, s) + "\n\n" + gt_quote(s.text)


def html_escape(t: str) -> str:
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_to_html(t: str) -> str:
    """Plain paragraphs to the kind of HTML webmail sends."""
    out = [
        "<div>" + "<br>\n".join(html_escape(x) for x in para.split("\n")) + "</div>"
        for para in t.strip("\n").split("\n\n")
    ]
    return "\n<div><br></div>\n".join(out)


# --------------------------------------------------------------------------- ids


def hexid(seed: str, n: int = 16) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def msgid(kind: str, seed: str, domain: str = "example.com") -> str:
    """A Message-ID shaped like the named client's."""
    h = hashlib.sha256(seed.encode()).hexdigest()
    if kind == "gmail":
        b = base64.b64encode(bytes.fromhex(h[:48])).decode().replace("/", "_").rstrip("=")
        return f"<CA{b[:6]}+{b[6:34]}@mail.gmail.com>"
    if kind == "outlook":
        return f"<{h[:4].upper()}PR0{h[4]}MB{h[5:9].upper()}{h[9:40].upper()}@{h[:4].upper()}PR0{h[4]}MB{h[5:9].upper()}.eurprd0{int(h[40], 16) % 9 + 1}.prod.outlook.com>"
    if kind == "apple":
        u = h[:32].upper()
        return f"<{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:32]}@{domain}>"
    if kind == "mta":
        return f"<{20261200000000 + int(h[:6], 16) % 999999}.{h[6:17].upper()}@{domain}>"
    return f"<{h[:24]}@{domain}>"


def our_msgid(seed: str) -> str:
    """Message-ID of our own outreach email (what leadflow sends)."""
    return (
        f"<lf.{hexid(seed, 10)}.s{int(hexid(seed + 's', 2), 16) % 3 + 1}@mail.outreach.example.com>"
    )


# --------------------------------------------------------------------------- encodings


def encode_body(text: str, charset: str, cte: str) -> bytes:
    """Body bytes in the given charset and transfer encoding (lines end with LF here)."""
    data = text.encode(charset)
    if cte == "quoted-printable":
        return quopri.encodestring(data)
    if cte == "base64":
        canon = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        return base64.encodebytes(canon)
    if cte in {"7bit", "8bit", "binary"}:
        return data if data.endswith(b"\n") else data + b"\n"
    raise ValueError(cte)


_Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def ew(
    text: str, charset: str = "utf-8", mode: str = "Q", *, upper: bool = False, force: bool = False
) -> str:
    """RFC 2047 encoded-words for a header value (ASCII text is returned as is unless forced)."""
    if text.isascii() and not force:
        return text
    cs = charset.upper() if upper else charset
    words: list[str] = []
    chunk = b""
    chunks: list[bytes] = []
    for ch in text:
        b = ch.encode(charset)
        if len(chunk) + len(b) > (42 if mode == "B" else 30 if charset == "utf-8" else 40):
            chunks.append(chunk)
            chunk = b""
        chunk += b
    if chunk:
        chunks.append(chunk)
    for c in chunks:
        if mode == "B":
            words.append(f"=?{cs}?B?{base64.b64encode(c).decode()}?=")
        else:
            enc = "".join(chr(x) if x in _Q_SAFE else "_" if x == 0x20 else f"={x:02X}" for x in c)
            words.append(f"=?{cs}?Q?{enc}?=")
    return "\n ".join(words)


def header_block(headers: Headers) -> bytes:
    """Header lines; values may carry their own folding ('\\n ' / '\\n\\t')."""
    return "".join(f"{k}: {v}\n" for k, v in headers).encode("utf-8")


def text_part(
    text: str,
    *,
    subtype: str = "plain",
    charset: str = "utf-8",
    cte: str = "quoted-printable",
    quote_charset: bool = True,
    extra: Headers | None = None,
    params: str = "",
) -> bytes:
    """One MIME body part (headers + encoded body)."""
    cs = f'"{charset}"' if quote_charset else charset
    hs: Headers = [("Content-Type", f"text/{subtype}; charset={cs}{params}")]
    hs.append(("Content-Transfer-Encoding", cte))
    hs += extra or []
    return header_block(hs) + b"\n" + encode_body(text, charset, cte)


def multipart_body(parts: list[bytes], boundary: str, preamble: str = "") -> bytes:
    out = preamble.encode() + (b"\n" if preamble else b"")
    for p in parts:
        out += f"--{boundary}\n".encode() + p
        if not p.endswith(b"\n"):
            out += b"\n"
        out += b"\n"
    out += f"--{boundary}--\n".encode()
    return out


def assemble(headers: Headers, body: bytes, *, crlf: bool = False) -> bytes:
    """Header block + blank line + body; optionally CRLF line endings throughout."""
    raw = header_block(headers) + b"\n" + body
    if crlf:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return raw


def simple(
    headers: Headers,
    text: str,
    *,
    charset: str = "utf-8",
    cte: str = "quoted-printable",
    crlf: bool = False,
    quote_charset: bool = False,
    params: str = "",
) -> bytes:
    """A single-part text/plain message."""
    cs = f'"{charset}"' if quote_charset else charset
    hs = [
        *headers,
        ("MIME-Version", "1.0"),
        ("Content-Type", f"text/plain; charset={cs}{params}"),
        ("Content-Transfer-Encoding", cte),
    ]
    return assemble(hs, encode_body(text, charset, cte), crlf=crlf)


def html_only(
    headers: Headers,
    html: str,
    *,
    charset: str = "utf-8",
    cte: str = "quoted-printable",
    crlf: bool = False,
) -> bytes:
    """A single-part text/html message."""
    hs = [
        *headers,
        ("MIME-Version", "1.0"),
        ("Content-Type", f'text/html; charset="{charset}"'),
        ("Content-Transfer-Encoding", cte),
    ]
    return assemble(hs, encode_body(html, charset, cte), crlf=crlf)


def alternative(
    headers: Headers,
    text: str,
    html: str,
    *,
    boundary: str,
    charset: str = "utf-8",
    cte: str = "quoted-printable",
    html_cte: str | None = None,
    crlf: bool = False,
    mime_first: bool = False,
) -> bytes:
    """multipart/alternative with text/plain and text/html."""
    ct = ("Content-Type", f'multipart/alternative; boundary="{boundary}"')
    mv = ("MIME-Version", "1.0")
    hs = [mv, *headers, ct] if mime_first else [*headers, mv, ct]
    parts = [
        text_part(text, charset=charset, cte=cte),
        text_part(html, subtype="html", charset=charset, cte=html_cte or cte),
    ]
    return assemble(hs, multipart_body(parts, boundary), crlf=crlf)


def wrap_html(inner: str, *, outlook: bool = False) -> str:
    """A plausible HTML document around a fragment."""
    if outlook:
        return (
            '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
            'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n<style><!--\n'
            "@font-face\n\t{font-family:Calibri;\n\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\n"
            'p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:11.0pt;\n\tfont-family:"Calibri",sans-serif;}\n'
            '--></style>\n</head>\n<body lang="EN-US" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n'
            '<div class="WordSection1">\n' + inner + "\n</div>\n</body>\n</html>\n"
        )
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
        + inner
        + "</body></html>\n"
    )


def mso_paras(text: str) -> str:
    """Plain text to Outlook's MsoNormal paragraphs."""
    out = [
        f'<p class="MsoNormal">{html_escape(ln) if ln else "<o:p>&nbsp;</o:p>"}<o:p></o:p></p>'
        for ln in text.strip("\n").split("\n")
    ]
    return "\n".join(out)


# --------------------------------------------------------------------------- our outreach email

SENDERS = {
    "en": ("Jonas Berg", "jonas.berg@outreach.example.com"),
    "us": ("Jonas Berg", "jonas.berg@outreach.example.com"),
    "de": ("Lena Hoffmann", "lena.hoffmann@outreach.example.com"),
    "fr": ("Camille Robert", "camille.robert@outreach.example.com"),
    "es": ("Lucía Romero", "lucia.romero@outreach.example.com"),
    "it": ("Marco Bellini", "marco.bellini@outreach.example.com"),
    "nl": ("Sanne de Vries", "sanne.devries@outreach.example.com"),
    "pt": ("Beatriz Costa", "beatriz.costa@outreach.example.com"),
}

SUBJECTS = {
    "en": [
        "Quick question about your SDR team",
        "Replies eating your SDRs' week?",
        "Following up on my last note",
    ],
    "us": [
        "Quick question about your SDR team",
        "15 minutes next week?",
        "Following up on my last note",
    ],
    "de": [
        "Kurze Frage zu Ihrem Vertriebsteam",
        "Idee für Ihren Vertrieb",
        "Nachfrage zu meiner letzten E-Mail",
    ],
    "fr": [
        "Une question rapide sur votre équipe commerciale",
        "Une idée pour votre prospection",
        "Suite à mon dernier message",
    ],
    "es": [
        "Una pregunta rápida sobre vuestro equipo comercial",
        "Una idea para vuestra prospección",
        "Sobre mi último correo",
    ],
    "it": [
        "Una domanda veloce sul vostro team vendite",
        "Un'idea per il vostro outbound",
        "Riguardo alla mia ultima email",
    ],
    "nl": [
        "Korte vraag over jullie salesteam",
        "Idee voor jullie outbound",
        "Even terugkomen op mijn vorige mail",
    ],
    "pt": [
        "Uma pergunta rápida sobre a vossa equipa comercial",
        "Uma ideia para a vossa prospeção",
        "Sobre o meu último e-mail",
    ],
}

_BODIES = {
    "en": (
        "Hi {first},\n\n"
        "I noticed {company} is hiring two more SDRs this quarter. Teams that size\n"
        "usually lose a few hours a week chasing replies by hand.\n\n"
        "We pause sequences automatically when a prospect is out of office, and\n"
        "stop them the moment someone asks to be left alone.\n\n"
        "Worth a 15-minute call next week?\n\n"
        "Best,\n{sender}\nNorthwind Outreach | Account Executive\n\n"
        'If you\'d rather not hear from me, just reply "unsubscribe" or click here to\n'
        "unsubscribe: https://t.outreach.example.com/u/{token}"
    ),
    "de": (
        "Hallo {title},\n\n"
        "ich habe gesehen, dass {company} gerade zwei neue Stellen im Vertrieb\n"
        "ausgeschrieben hat. In Teams dieser Größe gehen pro Woche einige Stunden\n"
        "für das manuelle Nachfassen von Antworten verloren.\n\n"
        "Wir pausieren Sequenzen automatisch, wenn ein Kontakt im Urlaub ist, und\n"
        "stoppen sie sofort, wenn jemand keine weiteren Nachrichten wünscht.\n\n"
        "Hätten Sie nächste Woche 15 Minuten für ein kurzes Gespräch?\n\n"
        "Viele Grüße\n{sender}\nNorthwind Outreach GmbH\n\n"
        "Sie möchten keine weiteren E-Mails von mir erhalten? Antworten Sie einfach\n"
        "mit „Abmelden“ oder klicken Sie hier: https://t.outreach.example.com/u/{token}"
    ),
    "fr": (
        "Bonjour {first},\n\n"
        "J'ai vu que {company} recrute deux commerciaux ce trimestre. Dans une équipe\n"
        "de cette taille, on perd souvent plusieurs heures par semaine à relancer\n"
        "les prospects à la main.\n\n"
        "Nous mettons les séquences en pause quand un contact est absent, et nous\n"
        "les arrêtons dès que quelqu'un demande à ne plus être sollicité.\n\n"
        "Auriez-vous 15 minutes la semaine prochaine pour en parler ?\n\n"
        "Bien cordialement,\n{sender}\nNorthwind Outreach\n\n"
        "Vous ne souhaitez plus recevoir mes messages ? Répondez « désinscription »\n"
        "ou cliquez ici pour vous désabonner : https://t.outreach.example.com/u/{token}"
    ),
    "es": (
        "Hola {first}:\n\n"
        "He visto que {company} está contratando dos comerciales más este trimestre.\n"
        "En equipos de ese tamaño se pierden varias horas a la semana persiguiendo\n"
        "respuestas a mano.\n\n"
        "Nosotros pausamos las secuencias cuando un contacto está fuera de la oficina\n"
        "y las paramos en cuanto alguien pide que no le escribamos más.\n\n"
        "¿Tendrías 15 minutos la semana que viene para una llamada?\n\n"
        "Un saludo,\n{sender}\nNorthwind Outreach\n\n"
        "¿Prefieres no recibir más correos míos? Responde «baja» o haz clic aquí para\n"
        "darte de baja: https://t.outreach.example.com/u/{token}"
    ),
    "it": (
        "Ciao {first},\n\n"
        "ho visto che {company} sta assumendo due nuovi commerciali questo trimestre.\n"
        "In team di queste dimensioni si perdono diverse ore alla settimana a\n"
        "rincorrere le risposte a mano.\n\n"
        "Noi mettiamo in pausa le sequenze quando un contatto è fuori ufficio e le\n"
        "fermiamo appena qualcuno chiede di non essere più contattato.\n\n"
        "Avresti 15 minuti la prossima settimana per una chiamata?\n\n"
        "Un saluto,\n{sender}\nNorthwind Outreach\n\n"
        "Non vuoi più ricevere le mie email? Rispondi «cancellami» oppure clicca qui\n"
        "per annullare l'iscrizione: https://t.outreach.example.com/u/{token}"
    ),
    "nl": (
        "Hoi {first},\n\n"
        "Ik zag dat {company} dit kwartaal twee nieuwe SDR's zoekt. In teams van die\n"
        "omvang gaan er elke week uren verloren aan het handmatig opvolgen van\n"
        "reacties.\n\n"
        "Wij pauzeren sequenties automatisch als iemand afwezig is, en stoppen ze\n"
        "zodra iemand aangeeft geen berichten meer te willen.\n\n"
        "Heb je volgende week 15 minuten voor een kort gesprek?\n\n"
        "Groet,\n{sender}\nNorthwind Outreach\n\n"
        'Liever geen e-mails meer van mij? Antwoord met "afmelden" of klik hier om je\n'
        "af te melden: https://t.outreach.example.com/u/{token}"
    ),
    "pt": (
        "Olá {first},\n\n"
        "Vi que a {company} está a contratar mais dois comerciais este trimestre. Em\n"
        "equipas desta dimensão perdem-se várias horas por semana a perseguir\n"
        "respostas à mão.\n\n"
        "Nós colocamos as sequências em pausa quando um contacto está ausente e\n"
        "paramo-las assim que alguém pede para não ser contactado.\n\n"
        "Teria 15 minutos na próxima semana para uma chamada?\n\n"
        "Cumprimentos,\n{sender}\nNorthwind Outreach\n\n"
        'Não quer receber mais e-mails meus? Responda "descadastrar" ou clique aqui\n'
        "para cancelar a inscrição: https://t.outreach.example.com/u/{token}"
    ),
}


def ours(
    lang: str, to_name: str, to_addr: str, when: dt.datetime, company: str, *, title: str = ""
) -> Sent:
    """Our outreach email to this lead, as it would be quoted."""
    base = "en" if lang == "us" else lang
    sender, addr = SENDERS[lang]
    first = to_name.split(maxsplit=1)[0]
    text = _BODIES[base].format(
        first=first,
        title=title or f"Herr {to_name.rsplit(maxsplit=1)[-1]}",
        company=company,
        sender=sender,
        token=hexid(to_addr + str(when), 22),
    )
    subjects = SUBJECTS[lang]
    subject = subjects[int(hexid(to_addr, 4), 16) % len(subjects)]
    return Sent(sender, addr, to_name, to_addr, subject, when, text, our_msgid(to_addr + str(when)))


def re_subject(prefix: str, s: Sent) -> str:
    return f"{prefix} {s.subject}"


# --------------------------------------------------------------------------- client shapes


def gmail_html(new: str, s: Sent | None, qstyle: str) -> str:
    """The HTML part Gmail writes: new text, then the gmail_quote block."""
    inner = f'<div dir="ltr">{text_to_html(new)}</div>'
    if s is not None:
        inner += (
            f'<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
            f"{html_escape(attribution(qstyle, s))}<br></div>"
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
            f"{text_to_html(s.text)}</blockquote></div>"
        )
    return inner + "\n"


def _outlook_html(new: str, s: Sent | None, lang: str) -> str:
    inner = mso_paras(new)
    if s is not None:
        block = outlook_block(lang, s).split("\n")
        hdr = [ln for ln in block[1:6] if ln]
        heads = "<br>\n".join(
            f"<b>{html_escape(h.split(':', 1)[0])}:</b>{html_escape(h.split(':', 1)[1])}"
            for h in hdr
        )
        inner += (
            '\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n<div id="mail-editor-reference-message-container">'
            '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n'
            f'<p class="MsoNormal"><span style="font-size:12.0pt;color:black">{heads}<o:p></o:p></span></p>\n</div>\n'
            + mso_paras(s.text)
            + "\n</div>"
        )
    return wrap_html(inner, outlook=True)


def _encode_display(addr: str) -> str:
    """Encode the display-name part of 'Name <addr>' when it is not ASCII."""
    if "<" not in addr:
        return addr
    name, rest = addr.split("<", 1)
    name = name.strip()
    if name.isascii():
        if "," in name and not name.startswith('"'):
            return f'"{name}" <{rest}'
        return addr
    return ew(name.strip('"'), "utf-8") + " <" + rest


def _topic(subject: str) -> str:
    return subject if subject.isascii() else ew(subject, "utf-8")


def reply(
    client: str,
    *,
    frm: str,
    to: str,
    subject: str,
    date: str,
    seed: str,
    new: str,
    sent: Sent | None = None,
    qstyle: str = "gmail-en",
    lang: str = "en",
    charset: str = "utf-8",
    cte: str | None = None,
    extra: Headers | None = None,
    top: Headers | None = None,
    crlf: bool = False,
    cc: str | None = None,
    raw8: bool = False,
) -> bytes:
    """A person's reply as the named client writes it (quote below the new text).

    Non-ASCII subjects and display names are RFC 2047-encoded unless ``raw8``
    (some clients and gateways send raw UTF-8 headers).
    """
    if not raw8:
        subject = subject if subject.isascii() else ew(subject, "utf-8")
        frm = _encode_display(frm)
    irt = sent.message_id if sent else None
    refs: Headers = [("References", irt), ("In-Reply-To", irt)] if irt else []
    top = top or []
    extra = extra or []
    bnd = "0000000000" + hexid(seed, 16)
    if client == "gmail":
        text = new if sent is None else new + "\n\n" + quoted(qstyle, sent) + "\n"
        hs: Headers = [
            *top,
            ("MIME-Version", "1.0"),
            *refs,
            ("From", frm),
            ("Date", date),
            ("Message-ID", msgid("gmail", seed)),
            ("Subject", subject),
            ("To", to),
        ]
        if cc:
            hs.append(("Cc", cc))
        hs += [*extra, ("Content-Type", f'multipart/alternative; boundary="{bnd}"')]
        parts = [
            text_part(text, charset=charset, cte=cte or "quoted-printable"),
            text_part(
                gmail_html(new, sent, qstyle),
                subtype="html",
                charset=charset,
                cte="quoted-printable",
            ),
        ]
        return assemble(hs, multipart_body(parts, bnd), crlf=crlf)
    if client in {"outlook", "outlook-old"}:
        text = (
            new
            if sent is None
            else new
            + "\n\n"
            + outlook_block(lang, sent, original_message_line=client == "outlook-old")
            + "\n"
        )
        b2 = f"_000_{hexid(seed, 8).upper()}{hexid(seed + 'b', 24).upper()}_"
        loc = {
            "en": "en-US",
            "us": "en-US",
            "de": "de-DE",
            "fr": "fr-FR",
            "es": "es-ES",
            "it": "it-IT",
            "nl": "nl-NL",
            "pt": "pt-PT",
        }[lang]
        hs = [*top, ("From", frm), ("To", to)]
        if cc:
            hs.append(("CC", cc))
        hs += [
            ("Subject", subject),
            ("Thread-Topic", _topic(sent.subject if sent else subject)),
            (
                "Thread-Index",
                "AQHa" + base64.b64encode(bytes.fromhex(hexid(seed + "ti", 28))).decode(),
            ),
            ("Date", date),
            ("Message-ID", msgid("outlook", seed)),
            *refs,
            ("Accept-Language", f"{loc}, en-US"),
            ("Content-Language", loc),
            ("X-MS-Has-Attach", ""),
            ("X-MS-TNEF-Correlator", ""),
            *extra,
            ("Content-Type", f'multipart/alternative;\n\tboundary="{b2}"'),
            ("MIME-Version", "1.0"),
        ]
        parts = [
            text_part(text, charset=charset, cte=cte or "quoted-printable"),
            text_part(
                _outlook_html(new, sent, lang),
                subtype="html",
                charset=charset,
                cte="quoted-printable",
            ),
        ]
        return assemble(hs, multipart_body(parts, b2), crlf=crlf)
    if client in {"apple", "iphone"}:
        text = new if sent is None else new + "\n\n" + quoted(qstyle, sent) + "\n"
        mailer = "iPhone Mail (22B83)" if client == "iphone" else "Apple Mail (2.3826.300.87.4.3)"
        mime = (
            "1.0 (1.0)" if client == "iphone" else "1.0 (Mac OS X Mail 16.0 \\(3826.300.87.4.3\\))"
        )
        hs = [
            *top,
            ("Content-Type", f"text/plain;\n\tcharset={charset}"),
            ("Content-Transfer-Encoding", cte or "quoted-printable"),
        ]
        hs += [
            ("From", frm),
            ("Mime-Version", mime),
            ("Subject", subject),
            ("Date", date),
            ("Message-Id", msgid("apple", seed, frm.split("@")[-1].rstrip(">"))),
            *refs,
            ("To", to),
        ]
        if cc:
            hs.append(("Cc", cc))
        hs += [*extra, ("X-Mailer", mailer)]
        return assemble(hs, encode_body(text, charset, cte or "quoted-printable"), crlf=crlf)
    if client == "tbird":
        text = new if sent is None else new + "\n\n" + quoted(qstyle, sent) + "\n"
        hs = [
            *top,
            ("Message-ID", msgid("other", seed, frm.split("@")[-1].rstrip(">"))),
            ("Date", date),
            ("MIME-Version", "1.0"),
        ]
        hs += [
            ("User-Agent", "Mozilla Thunderbird"),
            ("Subject", subject),
            ("To", to),
            *refs,
            ("Content-Language", lang if lang != "us" else "en-US"),
            ("From", frm),
        ]
        hs += [
            *extra,
            ("Content-Type", f"text/plain; charset={charset}; format=flowed"),
            ("Content-Transfer-Encoding", cte or "8bit"),
        ]
        return assemble(hs, encode_body(text, charset, cte or "8bit"), crlf=crlf)
    if client == "plain":
        text = new if sent is None else new + "\n\n" + quoted(qstyle, sent) + "\n"
        hs = [
            *top,
            ("Date", date),
            ("From", frm),
            ("To", to),
            ("Subject", subject),
            ("Message-ID", msgid("other", seed, frm.split("@")[-1].rstrip(">"))),
            *refs,
            *extra,
        ]
        return simple(hs, text, charset=charset, cte=cte or "8bit", crlf=crlf)
    raise ValueError(client)


def received(by: str, frm: str, date: str, ip: str = "192.0.2.10") -> tuple[str, str]:
    """A Received: trace line as our inbound MX would add it."""
    return (
        "Received",
        f"from {frm} ({frm} [{ip}])\n\tby {by} with ESMTPS id {hexid(frm + date, 12)}\n\tfor <inbox@outreach.example.com>; {date}",
    )


def mx_trace(
    frm_host: str, date: str, ip: str = "192.0.2.10", *, return_path: str | None = None
) -> Headers:
    """Return-Path, Delivered-To and one Received line, as they sit on top of a received message."""
    hs: Headers = []
    if return_path is not None:
        hs.append(("Return-Path", return_path))
    hs.append(("Delivered-To", "replies@outreach.example.com"))
    hs.append(received("mx1.outreach.example.com", frm_host, date, ip))
    return hs


# --------------------------------------------------------------------------- bounces


def _name(display: str) -> str:
    return display if display.isascii() else ew(display, "utf-8")


def our_raw(s: Sent, *, headers_only: bool = False) -> bytes:
    """Our outreach email as our MTA sent it (what a DSN returns)."""
    hs: Headers = [
        ("Return-Path", f"<bounces+{hexid(s.to_addr, 8)}@outreach.example.com>"),
        (
            "Received",
            f"from app-3.outreach.example.com (app-3.outreach.example.com [198.51.100.23])\n\tby mail.outreach.example.com (Postfix) with ESMTPSA id 4Q{hexid(s.to_addr, 9).upper()}\n\tfor <{s.to_addr}>; {date_header(s.when.year, s.when.month, s.when.day, s.when.hour, s.when.minute, '+0000')}",
        ),
        ("From", f"{_name(s.sender_name)} <{s.sender_addr}>"),
        ("To", f"{_name(s.to_name)} <{s.to_addr}>"),
        ("Subject", s.subject if s.subject.isascii() else ew(s.subject)),
        (
            "Date",
            date_header(s.when.year, s.when.month, s.when.day, s.when.hour, s.when.minute, "+0000"),
        ),
        ("Message-ID", s.message_id),
        (
            "List-Unsubscribe",
            f"<https://t.outreach.example.com/u/{hexid(s.to_addr + 'lu', 22)}>, <mailto:unsubscribe+{hexid(s.to_addr, 10)}@outreach.example.com>",
        ),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    ]
    head = header_block(hs)
    if headers_only:
        return head
    return head + b"\n" + encode_body(s.text, "utf-8", "quoted-printable")


def delivery_status(
    *,
    reporting_mta: str,
    recipient: str,
    status: str,
    action: str,
    diag: str | None,
    remote_mta: str | None = None,
    arrival: str | None = None,
    original_recipient: str | None = None,
    extra_per_message: Headers | None = None,
    extra_per_recipient: Headers | None = None,
) -> str:
    """The text of a message/delivery-status part (RFC 3464)."""
    lines = [f"Reporting-MTA: dns; {reporting_mta}"]
    lines += [f"{k}: {v}" for k, v in (extra_per_message or [])]
    if arrival:
        lines.append(f"Arrival-Date: {arrival}")
    lines.append("")
    if original_recipient:
        lines.append(f"Original-Recipient: rfc822;{original_recipient}")
    lines += [f"Final-Recipient: rfc822; {recipient}", f"Action: {action}", f"Status: {status}"]
    if remote_mta:
        lines.append(f"Remote-MTA: dns; {remote_mta}")
    if diag:
        lines.append(f"Diagnostic-Code: smtp; {diag}")
    lines += [f"{k}: {v}" for k, v in (extra_per_recipient or [])]
    return "\n".join(lines) + "\n"


def report(
    headers: Headers,
    *,
    boundary: str,
    human: bytes,
    status_text: str,
    original: bytes,
    original_type: str = "message/rfc822",
    preamble: str = "This is a MIME-encapsulated message.",
    crlf: bool = False,
    descriptions: bool = False,
) -> bytes:
    """multipart/report; report-type=delivery-status with the original attached."""
    ds = b""
    if descriptions:
        ds = b"Content-Description: Delivery report\n"
    status_part = ds + b"Content-Type: message/delivery-status\n\n" + status_text.encode("ascii")
    od = b"Content-Description: Undelivered Message\n" if descriptions else b""
    if original_type == "text/rfc822-headers":
        od = b"Content-Description: Undelivered Message Headers\n" if descriptions else b""
    orig_part = od + f"Content-Type: {original_type}\n".encode() + b"\n" + original
    hs = [
        *headers,
        ("MIME-Version", "1.0"),
        (
            "Content-Type",
            f'multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"',
        ),
    ]
    return assemble(
        hs, multipart_body([human, status_part, orig_part], boundary, preamble), crlf=crlf
    )


def exchange_auto(
    frm: str, to: str, subject: str, date: str, seed: str, irt: str | None, loc: str
) -> Headers:
    """Headers of an Exchange/Outlook automatic reply (subject RFC 2047-encoded when needed)."""
    topic = subject.split(": ", 1)[-1].split(" : ", 1)[-1]
    hs: Headers = [
        ("From", _encode_display(frm)),
        ("To", _encode_display(to)),
        ("Subject", subject if subject.isascii() else ew(subject, "utf-8")),
        ("Thread-Topic", _topic(topic)),
        ("Thread-Index", "AQHa" + hexid(seed, 20)),
        ("Date", date),
        ("Message-ID", msgid("outlook", seed)),
    ]
    if irt:
        hs += [("References", irt), ("In-Reply-To", irt)]
    hs += [
        ("Content-Language", loc),
        ("X-MS-Has-Attach", ""),
        ("X-MS-TNEF-Correlator", ""),
        ("auto-submitted", "auto-generated"),
        ("x-ms-exchange-generated-message-source", "Mailbox Rules Agent"),
        ("X-MS-Exchange-Inbox-Rules-Loop", frm.rsplit("<", maxsplit=1)[-1].rstrip(">")),
        ("X-Auto-Response-Suppress", "All"),
    ]
    return hs


def outlook_ooo(
    hs: Headers,
    text: str,
    seed: str,
    *,
    charset: str = "utf-8",
    cte: str = "quoted-printable",
    crlf: bool = False,
) -> bytes:
    """An Outlook automatic reply as multipart/alternative (text + Word HTML)."""
    b = "_000_" + hexid(seed + "b", 30).upper() + "_"
    parts = [
        text_part(text, charset=charset, cte=cte),
        text_part(
            wrap_html(mso_paras(text), outlook=True), subtype="html", charset=charset, cte=cte
        ),
    ]
    return assemble(
        [
            *hs,
            ("Content-Type", f'multipart/alternative;\n\tboundary="{b}"'),
            ("MIME-Version", "1.0"),
        ],
        multipart_body(parts, b),
        crlf=crlf,
    )


def exchange_ndr(
    *,
    postmaster: str,
    subject_prefix: str,
    s: Sent,
    date: str,
    seed: str,
    loc: str,
    text: str,
    status: str,
    action: str,
    diag: str,
    charset: str = "utf-8",
    crlf: bool = False,
) -> bytes:
    """An Exchange Online NDR or delay notice in a given language."""
    subj = subject_prefix + " " + s.subject
    hs: Headers = [
        ("From", f"Microsoft Outlook <{postmaster}>"),
        ("To", "<bounces@outreach.example.com>"),
        ("Date", date),
        ("Content-Language", loc),
        ("Message-ID", msgid("outlook", seed)),
        ("In-Reply-To", s.message_id),
        ("References", s.message_id),
        ("Subject", subj if subj.isascii() else ew(subj, "utf-8")),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
    ]
    st = delivery_status(
        reporting_mta=f"{hexid(seed, 4).upper()}PR0{hexid(seed, 1)}MB{hexid(seed + 'm', 4).upper()}.eurprd0{int(hexid(seed, 1), 16) % 9 + 1}.prod.outlook.com",
        recipient=s.to_addr,
        status=status,
        action=action,
        diag=diag,
    )
    b1 = hexid(seed + "1", 8) + "-" + hexid(seed + "2", 4) + "-4c1e-9a77-" + hexid(seed + "3", 12)
    b2 = hexid(seed + "4", 8) + "-" + hexid(seed + "5", 4) + "-4f0a-8c8b-" + hexid(seed + "6", 12)
    alt = (
        f'Content-Type: multipart/alternative; differences=Content-Type;\n\tboundary="{b2}"\n\n'.encode()
        + multipart_body(
            [
                text_part(text, charset=charset),
                text_part(wrap_html(text_to_html(text)), subtype="html", charset=charset),
            ],
            b2,
        )
    )
    return report(
        hs,
        boundary=b1,
        human=alt,
        status_text=st,
        original=our_raw(s, headers_only=True),
        original_type="text/rfc822-headers",
        preamble="",
        crlf=crlf,
    )


def with_trace(name: str, raw: bytes) -> bytes:
    """Prepend the trace headers our inbound MX adds (Return-Path, Delivered-To,
    Received, Authentication-Results) to about 7 in 10 messages that have none."""
    sep = b"\r\n" if b"\r\n" in raw[:4000] else b"\n"
    head = raw.split(sep + sep, 1)[0]
    if re.search(rb"(?mi)^received:", head) or int(hexid(name, 2), 16) % 10 >= 7:
        return raw
    parsed = BytesHeaderParser(policy=compat32).parsebytes(head + sep + sep)
    frm = parseaddr(str(parsed.get("From", "")))[1] or "unknown@example.com"
    rcpt = parseaddr(str(parsed.get("To", "")))[1] or "replies@outreach.example.com"
    date = str(parsed.get("Date", ""))
    domain = frm.rsplit("@", 1)[-1].lower()
    local = frm.split("@", 1)[0].lower()
    daemon = local in {"mailer-daemon", "postmaster"} or local.startswith("microsoftexchange")
    host = f"{'mx-out' if daemon else 'mail'}-{hexid(name, 3)}.{domain}"
    ip = f"192.0.2.{int(hexid(name + 'ip', 2), 16) % 250 + 1}"
    lines: list[str] = []
    if not re.search(rb"(?mi)^return-path:", head):
        lines.append(f"Return-Path: <{'' if daemon else frm}>")
    lines += [
        "Delivered-To: replies@outreach.example.com",
        f"Received: from {host} ({host} [{ip}])\n\tby mx1.outreach.example.com (Postfix) with ESMTPS id 4Q{hexid(name + 'q', 10).upper()}\n\tfor <{rcpt}>; {date}",
        f"Authentication-Results: mx1.outreach.example.com;\n\tdkim=pass header.d={domain} header.s=s1 header.b={hexid(name + 'b', 8)};\n\tspf=pass (mx1.outreach.example.com: domain of {'postmaster@' + domain if daemon else frm} designates {ip} as permitted sender) smtp.mailfrom={domain};\n\tdmarc=pass (p=NONE) header.from={domain}",
    ]
    block = "".join(line + "\n" for line in lines).encode("utf-8")
    return block.replace(b"\n", sep) + raw
