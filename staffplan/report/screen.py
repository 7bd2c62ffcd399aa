"""Values from files on the terminal: always text, never markup, nothing invisible.

Ids, names, reasons, paths and the scenario's name come from files people (or an attacker)
wrote. On the terminal each one goes through :func:`text` (or :func:`fill`, for a message
with values in it): a Rich ``Text``, which Rich never parses for markup (``[bold]``, ``[/]``,
``[link=…]``) or emoji codes, with every character that could steer the terminal made
visible as an escape (``\\x1b``, ``\\x9b``, ``\\u202e``): C0 and C1 controls (ESC starts colour
and OSC-8 link sequences, CR overwrites a line), DEL, format characters (bidirectional
overrides), line and paragraph separators, code points that are no characters, and the
default-ignorable ones (variation selectors, fillers). The set is the machine formats' own
(:func:`staffplan.report.escape.hidden`); on the terminal tab, LF and CR are shown too.

The consoles staffplan prints with (:func:`console`) also have markup and emoji off, so a
string that slips past this module still prints as it is.
"""

from __future__ import annotations

import string

from rich.console import Console
from rich.text import Text

from staffplan.report.escape import show_hidden


def visible(value) -> str:
    """``value`` as text with every control or invisible character written as an escape."""
    return show_hidden("" if value is None else str(value))


def text(value, style: str = "") -> Text:
    """A value from a file as a Rich Text: printed as it is, never read as markup."""
    return Text(visible(value), style=style)


def fill(template: str, styles: dict[str, str] | None = None, style: str = "",
         **values) -> Text:
    """A message template (``str.format`` syntax, e.g. from ``i18n.template``) with its values
    made visible and never read as markup; ``styles`` styles a placeholder's value."""
    styles = styles or {}
    out = Text(style=style)
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            out.append(literal)
        if name is None:
            continue
        value = values[name]
        if conversion == "r":
            value = repr(value)
        elif conversion == "s":
            value = str(value)
        out.append(visible(format(value, spec or "")), style=styles.get(name, ""))
    return out


def message(key: str, styles: dict[str, str] | None = None, style: str = "", **values) -> Text:
    """The i18n message ``key`` in the current language, filled like :func:`fill`."""
    from staffplan.i18n import template

    return fill(template(key), styles, style, **values)


def console(stderr: bool = False, width: int | None = None, **kw) -> Console:
    """A console for staffplan's output: no markup, no emoji codes, no highlighting."""
    return Console(stderr=stderr, width=width, markup=False, emoji=False, highlight=False,
                   **kw)


def width_of(text_: str) -> int:
    """Columns a string takes on the terminal (a Chinese character takes two)."""
    from rich.cells import cell_len

    return cell_len(text_)


__all__ = ["console", "fill", "message", "text", "visible", "width_of"]
