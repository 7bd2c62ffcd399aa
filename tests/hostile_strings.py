"""Hostile strings: values a roster, a units file or a scenario may carry, that must reach
every output as plain text (never a formula, markup, a link, an escape sequence or invalid
XML). Tests send each one through every sink and parse the sink back.

Grouped by the sink they attack; every sink gets all of them.
"""

from __future__ import annotations

import re

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

# GitHub finds these in the rendered text of a comment (after Markdown, escapes undone) and
# links them: mentions, issues and pull requests, commits.
REFERENCES = [
    "@octocat",
    "@org/team",
    "see #123",
    "#1",
    "GH-42",
    "gh-7",
    "octo-org/some.repo#77",
    "user@a5c3785e",
    "octo/repo@a5c3785",
    "a5c3785e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # 40 hex digits
    "2021063012345",  # digits only: hex too
    "东海a5c3785e县",
]

# Characters that show nothing, or break or reorder the text around them, beyond the C0 and
# C1 controls: line and paragraph separators, the Arabic letter mark, and Unicode's
# Default_Ignorable_Code_Point set (fillers, variation selectors, tag characters, ...).
INVISIBLE = [
    "arabic\u061cmark",
    "line\u2028separator",
    "paragraph\u2029separator",
    "next\x85line",
    "fillers\u115f\u1160\u3164\uffa0",
    "marks\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f",
    "selectors" + "".join(map(chr, range(0xFE00, 0xFE10))),
    "heart\u2764\ufe0f",
    "specials" + "".join(map(chr, range(0xFFF0, 0xFFF9))),
    "shorthand\U0001bca0\U0001bca1\U0001bca2\U0001bca3",
    "music" + "".join(map(chr, range(0x1D173, 0x1D17B))),
    "tags\U000e0000\U000e0001\U000e0041\U000e007f\U000e0100\U000e01ef\U000e0fff",
    "braille\u2800blank",
    "soft\u00adhyphen",
    "word\u2060joiner\u2066isolate\u2069",
]

# The hidden characters a sink read by people must show as escapes: C0 controls but tab, LF
# and CR; DEL and C1 controls; lone surrogates, U+FFFE and U+FFFF; line and paragraph
# separators; Default_Ignorable_Code_Point (DerivedCoreProperties.txt); U+2800.
HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029"
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff\u2800]")

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

ALL = FORMULAS + MARKUP + ESCAPES + XML + MARKDOWN + REFERENCES + INVISIBLE + OTHER
