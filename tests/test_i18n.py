"""Every message exists in both languages, with the same placeholders, and renders."""

from __future__ import annotations

import pytest

from staffplan import i18n
from staffplan.i18n import LANGS, MESSAGES, placeholders, set_lang, t
from staffplan.rules import RULES
from tests.conftest import officer, small_county


class _Any:
    """Fills any placeholder, whatever its format spec."""

    def __format__(self, spec):
        return "X"

    def __repr__(self):
        return "'X'"


# English texts that quote what a user may type in Chinese.
QUOTES_CHINESE = {"bad_bool"}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_in_both_languages(key):
    texts = MESSAGES[key]
    assert set(texts) == set(LANGS), f"{key} lacks {set(LANGS) - set(texts)}"
    holes = {lang: placeholders(text) for lang, text in texts.items()}
    assert holes["en"] == holes["zh"], f"{key}: placeholders differ {holes}"
    values = {name: _Any() for name in holes["en"]}
    for lang in LANGS:
        set_lang(lang)
        assert t(key, **values)
    set_lang("en")
    if key not in QUOTES_CHINESE and any(ord(c) > 0x2E7F for c in texts["en"]):
        pytest.fail(f"{key}: Chinese in the English text")
    assert texts["zh"] != texts["en"] or not any(c.isalpha() for c in texts["en"]), key


def test_every_rule_has_both_labels():
    for rule in RULES:
        assert rule.label and rule.zh


def test_every_key_used_in_the_code_exists():
    import re
    from pathlib import Path

    root = Path(i18n.__file__).parent
    used = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    assert used - set(MESSAGES) == set()


def test_language_from_the_environment(monkeypatch):
    monkeypatch.delenv("STAFFPLAN_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert set_lang(None) == "zh"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert set_lang(None) == "en"
    monkeypatch.setenv("STAFFPLAN_LANG", "zh")
    assert set_lang(None) == "zh"


def test_chinese_messages_end_to_end(scenario_at):
    from staffplan.check import check
    from staffplan.plan import make_plan

    set_lang("zh")
    s = scenario_at(small_county(), [officer("A", "H1", home_unit="S1")], {"return_borrowed": True})
    [v] = check(s).violations
    assert v.message == "借调民警 A 仍在 H1，未归建到 S1"
    r = make_plan(s)
    assert r.reasons["A"] == "借调人员归建到 S1"


@pytest.mark.parametrize("lang, sep", [("en", "; "), ("zh", "；")])
def test_a_reason_of_two_parts_joins_them_in_the_language(scenario_at, lang, sep):
    """Two of three headquarters officers staff the two posts: each reason says the move and
    why this officer, joined by the language's own separator (full-width in Chinese)."""
    from staffplan.plan import make_plan

    set_lang(lang)
    try:
        s = scenario_at(small_county(), [officer("A", "H1", hired="1990-01-01"),
                                         officer("B", "H1", hired="1995-01-01"),
                                         officer("C", "H1", hired="2000-01-01")],
                        {"staff_every_post": True})
        r = make_plan(s)
        assert [oid for oid in "ABC" if r.final[oid] != "H1"] == ["A", "B"]
        for oid in "AB":
            assert sep in r.reasons[oid]
            assert lang == "en" or "; " not in r.reasons[oid]
    finally:
        set_lang("en")
