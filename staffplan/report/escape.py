"""Data as text in each machine format: every value from a roster, a units file or a scenario
is made inert for the syntax it lands in, so it can never become markup, a link, a
command or invalid XML.

- XML (JUnit): control characters XML 1.0 forbids, lone surrogates and U+FFFE/U+FFFF are
  shown as ``\\x01``-style text, CR as ``\\r`` (ElementTree escapes ``& < > "`` itself).
- Markdown (merge-request comments): the punctuation of inline syntax is backslash-escaped
  (CommonMark renders an escaped character as itself), so ``<script>``, ``[link](...)``,
  ``|``, ``**``, ``@name`` and ``$math$`` stay text; line breaks become spaces; other control
  characters are shown as ``\\x1b``. GitHub's autolinks too: ``http://`` and ``www.`` are
  matched in the source (the escaped ``:`` and ``.`` stop them), but an e-mail address in
  the text as rendered, escapes undone, so an ``@`` is written as ``<span>@</span>``, which
  cuts the text where it would be looked for.
- GitHub workflow commands: ``%``, CR and LF are percent-encoded as the runner expects, and
  ``:`` and ``,`` too in properties; other control characters (an ESC would colour the log)
  are shown as ``\\x1b``.
"""

from __future__ import annotations

import re

# C0 controls but tab/LF/CR, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF; and the
# invisible characters that reorder or hide text where people read it (bidirectional
# overrides and isolates, zero-width characters, the BOM inside a value), as the terminal
# shows them (``report.screen``).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                      "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# What starts or ends Markdown inline syntax (emphasis, code, links, images, raw HTML,
# entities, tables, strikethrough, mentions, math, emoji); a value never starts a line, so
# block syntax (#, -, +, 1.) cannot begin inside one.
_PUNCT = re.compile(r"([\\`*_\[\]<>|#~!&@$:])")
_WWW = re.compile(r"(?i)(www)\.")  # GitHub links ``www.`` followed by a domain


def _visible(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: object) -> str:
    """Control characters (but tab, LF and CR) shown as ``\\x1b``-style text."""
    return _CONTROL.sub(_visible, str(text))


def xml_text(text: object) -> str:
    """Text XML 1.0 can hold: forbidden characters shown as ``\\x01``-style text, and a
    carriage return as ``\\r`` (a parser would turn CR LF into LF)."""
    return visible(text).replace("\r", "\\r")


def md_text(text: object) -> str:
    """Text for a Markdown paragraph or table cell: punctuation escaped, one line."""
    one_line = visible(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    escaped = _PUNCT.sub(r"\\\1", one_line.replace("\t", " "))
    return _WWW.sub(r"\1\\.", escaped).replace("\\@", "<span>@</span>")


def md_code(text: object) -> str:
    """Text as a Markdown code span (shown as written): a fence longer than any run of
    backticks inside, ``|`` escaped for tables, one line."""
    one_line = visible(text).replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    runs = [len(r) for r in re.findall("`+", one_line)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def gh_data(text: object) -> str:
    """The message of a GitHub workflow command."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_prop(text: object) -> str:
    """A property value (file, title) of a GitHub workflow command."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")
