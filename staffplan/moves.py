"""The kinds of move: one vocabulary for every table, file and chart.

A *move* is an existing officer whose unit changes. Its kind is where the officer comes from
and goes to (``"hq -> post"``), except a borrowed officer going back to their home unit,
which is ``"borrowed returned"`` whatever the kinds of the two units. Placing a recruit is
not a move: it is a *placement*, by the kind of unit that takes the recruit (``"post"``).

The ids are stable (``summary.json``, ``check --format json``, compare); :func:`label` and
:func:`placement_label` say them in the current language. The checker counts with
:func:`move_kind` and :func:`placement_kind`; the terminal tables, plan.xlsx, the meeting
report's flow of officers and compare all read those counts and these labels.
"""

from __future__ import annotations

from staffplan.i18n import kind_name, t

BORROWED_RETURNED = "borrowed returned"
UNIT_KINDS = ("hq", "station", "post")

# Display order: what the reform is about first (officers back to stations and posts).
KINDS: tuple[str, ...] = (BORROWED_RETURNED, "hq -> station", "hq -> post", "station -> post",
                          "station -> station", "post -> post", "post -> station", "hq -> hq",
                          "station -> hq", "post -> hq", "hq -> none", "station -> none",
                          "post -> none")


def move_kind(src_kind: str, dst_kind: str | None, borrowed_return: bool = False) -> str:
    """The kind of a move from a unit of ``src_kind`` to one of ``dst_kind`` (None: the
    officer is left without a unit, which only a proposed plan can do)."""
    if borrowed_return:
        return BORROWED_RETURNED
    return f"{src_kind} -> {dst_kind or 'none'}"


def kind_of(scenario, officer, to: str | None) -> str | None:
    """The kind of an officer's move to ``to``; None when it is no move (the officer stays,
    or is a recruit, whose placement is no move)."""
    if officer.unit is None or to == officer.unit:
        return None
    org = scenario.organisation
    return move_kind(org[officer.unit].kind.value, org[to].kind.value if to else None,
                     officer.home_unit is not None and to == officer.home_unit)


def placement_kind(scenario, officer, to: str | None) -> str | None:
    """The kind of unit a recruit is placed at; None for an officer who is no recruit, or a
    recruit not placed."""
    if officer.unit is not None or to is None:
        return None
    return scenario.organisation[to].kind.value


def order(kinds) -> list[str]:
    """Kinds in display order (unknown kinds last, by id)."""
    rank = {k: i for i, k in enumerate(KINDS)}
    return sorted(kinds, key=lambda k: (rank.get(k, len(KINDS)), k))


def order_units(unit_kinds) -> list[str]:
    """Kinds of unit in display order: headquarters, station, post."""
    return sorted(unit_kinds, key=lambda k: (UNIT_KINDS.index(k) if k in UNIT_KINDS else 3, k))


def ends(kind: str) -> tuple[str, str]:
    """The kinds of unit a move goes from and to (a borrowed officer returns from
    headquarters to a station or post: ``("hq", "station")``, the station side)."""
    if kind == BORROWED_RETURNED:
        return "hq", "station"
    src, _, dst = kind.partition(" -> ")
    return src, dst


def label(kind: str) -> str:
    """A kind of move in the current language: "headquarters → post"."""
    if kind == BORROWED_RETURNED:
        return t("k_borrowed_returned")
    src, _, dst = kind.partition(" -> ")
    if not dst:
        return kind
    names = [t("k_no_unit") if k == "none" else kind_name(k) if k in UNIT_KINDS else k
             for k in (src, dst)]
    return " → ".join(names)


def placement_label(unit_kind: str) -> str:
    """Recruits placed at a kind of unit, in the current language: "recruits → post"."""
    return t("k_placed", kind=kind_name(unit_kind) if unit_kind in UNIT_KINDS else unit_kind)
