"""Data as text in each machine format: every value from a roster, a units file or a scenario
is made inert for the syntax it lands in, so it can never become markup, a link, a
reference, a command or invalid XML, nor hide or reorder what people read.

- Hidden characters (:func:`hidden`, one definition for every sink and the terminal,
  ``report.screen``): C0 and C1 controls, DEL, format characters (bidirectional controls,
  zero-width characters, the BOM, U+061C ARABIC LETTER MARK), lone surrogates, code points
  that are no characters (U+FFFE, U+FFFF, unassigned ones), U+2028 LINE SEPARATOR and U+2029
  PARAGRAPH SEPARATOR, every Default_Ignorable_Code_Point (variation selectors, Hangul
  fillers, Mongolian free variation selectors, tag characters, ...) and U+2800 BRAILLE
  PATTERN BLANK. Each is shown as an escape: ``\\x1b``, ``\\u2028``, ``\\U000e0041``
  (:func:`visible`; tab, LF and CR are left to each sink).
- XML (JUnit): hidden characters shown as escapes (so nothing XML 1.0 forbids remains), CR
  as ``\\r`` (ElementTree escapes ``& < > "`` itself).
- Markdown (merge-request comments): the punctuation of inline syntax is backslash-escaped
  (CommonMark renders an escaped character as itself), so ``<script>``, ``[link](...)``,
  ``|``, ``**`` and ``$math$`` stay text; line breaks (CR, LF, and any other a reader would
  break a line at) become spaces; hidden characters are shown as escapes. GitHub's
  autolinks: ``http://`` and ``www.`` are matched in the source (the escaped ``:`` and ``.``
  stop them). GitHub's references, though, are found in the text as rendered (its HTML
  filters run after Markdown, on each text node, escapes undone): ``@user`` mentions and
  e-mail addresses, issues ``#123``, ``owner/repo#123`` and ``GH-123``, commits
  ``a5c3785e`` and ``user@a5c3785e``. So the text is cut where such a reference would be
  found, with a ``<span>`` around a piece of it, which splits the text node and changes
  nothing shown: every ``@``, a ``#`` before a digit, the ``-`` of ``GH-`` before a digit, and in a
  run of 7 or more hex digits holding a digit, every other piece of at most six
  (``a5c378<span>5e</span>``). Plain words stay as they are; GitHub links nothing in a code
  span, which :func:`md_code` writes.
- GitHub workflow commands: ``%``, CR and LF are percent-encoded as the runner expects, and
  ``:`` and ``,`` too in properties; hidden characters (an ESC would colour the log) are
  shown as escapes.
"""

from __future__ import annotations

import re

from staffplan.domain import IGNORABLE, hidden  # one set: what ids and every sink refuse to hide

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_char(ch: str) -> str:
    """A character as an escape: ``\\n``, ``\\x1b``, ``\\u2028``, ``\\U000e0041``."""
    if ch in _NAMED:
        return _NAMED[ch]
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def show_hidden(text: str, keep: str = "") -> str:
    """``text`` with every hidden character but those in ``keep`` shown as an escape."""
    if text.isprintable() and not IGNORABLE.search(text):  # the usual case, at C speed
        return text
    return "".join(escape_char(c) if c not in keep and hidden(c) else c for c in text)


def visible(text: object) -> str:
    """Hidden characters (but tab, LF and CR) shown as ``\\x1b``-style text."""
    return show_hidden(str(text), keep="\t\n\r")


def json_text(data, **kw) -> str:
    """``json.dumps`` (UTF-8 text kept), with every hidden character written as a JSON
    ``\\u`` escape: the same data once parsed, but nothing hidden where the file is read."""
    import json

    text = json.dumps(data, ensure_ascii=False, **kw)
    if text.isprintable() and not IGNORABLE.search(text):
        return text
    return "".join(c if c == "\n" or not hidden(c) else json.dumps(c)[1:-1] for c in text)


def xml_text(text: object) -> str:
    """Text XML 1.0 can hold: forbidden characters shown as ``\\x01``-style text, and a
    carriage return as ``\\r`` (a parser would turn CR LF into LF)."""
    return visible(text).replace("\r", "\\r")


# Every line break str.splitlines knows (visible() has shown all but CR and LF as escapes
# already; joining them here too keeps one line whatever that set becomes).
_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What starts or ends Markdown inline syntax (emphasis, code, links, images, raw HTML,
# entities, tables, strikethrough, math, emoji); a value never starts a line, so block
# syntax (#, -, +, 1.) cannot begin inside one.
_PUNCT = re.compile(r"([\\`*_\[\]<>|#~!&$:])")
_WWW = re.compile(r"(?i)(www)\.")  # GitHub links ``www.`` followed by a domain
# Where GitHub would find a reference in the rendered text: a mention or e-mail address
# (@), an issue (#1, owner/repo#1), GH-1, a commit (7 to 40 hex digits, one a digit; any
# longer run, whatever is around it, is cut too).
_REFERENCE = re.compile(r"(?P<at>@)|(?P<hash>#)(?=\d)|(?P<gh>(?i:gh))-(?=\d)"
                        r"|(?P<hex>(?=[0-9A-Fa-f]*[0-9])[0-9A-Fa-f]{7,})")
_CUT = "<span>{}</span>"  # splits the text node, shows its text as it is


def _one_line(text: object) -> str:
    return _BREAK.sub(" ", visible(text))


def _escape(text: str) -> str:
    return _WWW.sub(r"\1\\.", _PUNCT.sub(r"\\\1", text))


def _cut(m: re.Match) -> str:
    if m.group("hex"):
        run = m.group("hex")
        pieces = [run[i:i + 6] for i in range(0, len(run), 6)]
        return "".join(_CUT.format(p) if i % 2 else p for i, p in enumerate(pieces))
    if m.group("gh"):
        return m.group("gh") + _CUT.format("-")
    return _CUT.format(m.group(0))


def md_text(text: object) -> str:
    """Text for a Markdown paragraph or table cell: punctuation escaped, references cut, one
    line."""
    one_line = _one_line(text).replace("\t", " ")
    out, end = [], 0
    for m in _REFERENCE.finditer(one_line):
        out += [_escape(one_line[end:m.start()]), _cut(m)]
        end = m.end()
    out.append(_escape(one_line[end:]))
    return "".join(out)


def md_code(text: object) -> str:
    """Text as a Markdown code span (shown as written): a fence longer than any run of
    backticks inside, ``|`` escaped for tables, one line."""
    one_line = _one_line(text).replace("|", "\\|")
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
