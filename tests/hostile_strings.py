"""Hostile strings: values a roster, a units file or a scenario may carry, that must reach
every output as plain text (never a formula, markup, a link, an escape sequence or invalid
XML). Tests send each one through every sink and parse the sink back.

Grouped by the sink they attack; every sink gets all of them.
"""

from __future__ import annotations

FORMULAS = [
    "=HYPERLINK(\"http://evil.example/\",\"click\")",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",  # a leading tab or CR still starts a formula in some readers
    "\r=1+1",
    "＝1+1",  # full-width equals sign
    "'=1+1",  # an apostrophe already in front: must come back with it
    "''-x",
]

MARKUP = [
    "[bold red]red[/bold red]",
    "[/]",
    "[link=http://evil.example]click[/link]",
    "[on red]x",
    ":smiley: :police_car:",
]

ESCAPES = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",  # OSC-8 hyperlink
    "\x07bell",
    "\x9b31mC1 CSI",
    "back\bspace",
    "carriage\rreturn",
    "new\nline",
]

XML = [
    "<script>alert(1)</script>",
    "</td></tr><tr><td>injected",
    "a & b < c > d \" ' ",
    "\x00nul\x01soh",
    "bad\ufffe\uffffchars",
    "]]>",
    "<!--",
]

MARKDOWN = [
    "| pipe | in | cell |",
    "<img src=x onerror=alert(1)>",
    "[link](http://evil.example)",
    "**bold** _it_ `code`",
    "line\r\nbreak",
    "# heading",
    "::error::injected annotation",
    "%0Aencoded newline",
    "www.evil.example/path",  # GitHub's extended autolinks
    "WWW.evil.example",
    "mail boss@evil.example now",
    "mailto:boss@evil.example",
    "https://evil.example",
    "x\\@evil.example",  # a backslash before the @
]

OTHER = [
    "$\\frac{1}{0}$",  # matplotlib mathtext
    "$x$",
    "{placeholder}",
    "%s %d %(name)s",
    "\u202eRTL override",
    "x" * 300,
    "东海县局",
    "B-1",
    "B_1",
    "_x0041_",  # Excel's escape for "A" in its XML: must stay these seven characters
]

ALL = FORMULAS + MARKUP + ESCAPES + XML + MARKDOWN + OTHER
