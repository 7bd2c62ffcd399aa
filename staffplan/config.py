"""The scenario file: a YAML document naming the data files, the plan date and the rules.

The defaults of :class:`Rules` are the Lianyungang reform's rules (see ``docs/glossary.md``);
every rule can be switched off (``null`` or ``false``) or given another value. Unknown keys
are errors. A scenario can ``extends:`` others (deep-merged, ancestors first) and take
``--set key=value`` overrides; :class:`Provenance` records where every value came from.
"""

from __future__ import annotations

import copy
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, create_model, field_validator

from staffplan.bounds import MAX_NAME_LENGTH, Day, HeadCount, Id, clip
from staffplan.errors import Problem, Problems
from staffplan.i18n import t
from staffplan.promotions.config import Promotions
from staffplan.rules import RULES
from staffplan.rules.base import Settings
from staffplan.rules.community_budget import Budget
from staffplan.rules.station_share import StationShare  # noqa: F401  (for tests and users)


class _Model(Settings):
    pass


# Later steps of a plan: each is planned with the others, in one model.
MAX_STEPS = 20


def _rules_model() -> type[Settings]:
    """The ``rules:`` section, one key per rule that has one, from the rules' own modules."""
    fields = {}
    for rule in RULES:
        if rule.key is not None and rule.section == "rules":
            fields[rule.key] = (rule.type, Field(rule.default, description=rule.doc))
    model = create_model("Rules", __base__=Settings, **fields)
    model.__doc__ = "The personnel rules the plan must meet. Defaults: the Lianyungang reform."
    return model


Rules = _rules_model()


class UnitSpec(_Model):
    """A unit added by the scenario, in the units file's terms."""

    id: Id
    name: str | None = Field(None, max_length=MAX_NAME_LENGTH)
    kind: Literal["hq", "station", "post"]
    parent: Id
    area: Literal["urban", "rural"] | None = None
    min_staff: HeadCount | None = None
    max_staff: HeadCount | None = None


class Bounds(_Model):
    """New staff bounds for a unit; a key left out keeps the units file's value, null
    removes the bound."""

    min_staff: HeadCount | None = None
    max_staff: HeadCount | None = None


class Changes(_Model):
    """What-if changes to the data, applied after reading the units and officers files."""

    recruits: dict[Id, int] = {}
    """Extra recruits per bureau id (placed by the plan), e.g. {B01: 20}; bounded by the
    reader against the roster's size (``staffplan.io.changes``)."""
    recruits_file: Path | None = None
    """More officers in the officers file's format (usually recruits: empty unit)."""
    retire: list[Id] = []
    """Officer ids who leave the roster before the plan (retirements)."""
    retire_file: Path | None = None
    """A CSV with an officer_id column: officers who leave the roster."""
    add_units: list[UnitSpec] = []
    """Units to add to the tree (new posts, stations or headquarters units)."""
    close_units: list[Id] = []
    """Units to close: they must end the plan empty; their officers are moved."""
    unit_bounds: dict[Id, Bounds] = {}
    """New staff bounds per unit id."""


class Sheets(_Model):
    """Excel sheets to read (default: the first sheet of each workbook)."""

    units: str | None = None
    """The sheet of the units workbook."""
    officers: str | None = None
    """The sheet of the officers workbook."""


class HorizonStep(_Model):
    """A later step of a plan over several dates (the reform's three-year plan)."""

    date: Day
    """The step's date (after the previous step's): tenure, arrivals and departures are
    counted up to it."""
    rules: dict[str, Any] = {}
    """Rules that change at this step, deep-merged over the previous step's rules (a target
    that ramps up, a rule switched on)."""
    changes: Changes = Changes()
    """This step's own changes (not inherited): recruits arriving, officers retiring, units
    opened or closed, bounds changed from this step on."""


def _known_encoding(value: str | None) -> str | None:
    import codecs

    if value is None:
        return None
    try:
        info = codecs.lookup(value)
    except LookupError:
        raise ValueError(t("unknown_encoding", value=value)) from None
    # A text encoding only: rot13, base64 and the like are codecs, not ways to store text.
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(t("unknown_encoding", value=value))
    return value


class ScenarioConfig(_Model):
    """A staffplan scenario. Relative paths are relative to the file that names them."""

    extends: str | list[str] | None = Field(None, exclude=True)
    """A scenario file (or a list, applied in order) whose keys this file deep-merges over."""
    name: str
    """The scenario's name, shown in reports."""
    description: str | None = None
    """Free text for the reader."""
    plan_date: Day
    """Tenure is counted up to this day (ISO date)."""
    units: Path
    """The organisation tree: .csv (UTF-8, with or without BOM, or GB18030/GBK) or .xlsx."""
    officers: Path
    """The roster: .csv (UTF-8, with or without BOM, or GB18030/GBK) or .xlsx."""
    sheet: str | None = None
    """The sheet to read in each Excel workbook (default: the first)."""
    sheets: Sheets = Sheets()
    """Excel sheets by name per file, when units and officers are on different sheets."""
    encoding: str | None = None
    """The encoding of every CSV file the scenario reads (e.g. gb18030, latin-1, utf-8);
    default: detected (UTF-8, else GB18030), and said when it is not UTF-8."""
    lang: Literal["en", "zh"] | None = None
    """Language of tables, reasons and messages (en, zh); default: --lang, else the locale."""
    rules: Rules = Rules()
    """The rules the plan must meet."""
    changes: Changes = Changes()
    """What-if changes to the data: recruits, retirements, posts added or closed, bounds."""
    budget: Budget = Budget()
    """The community-policing budget: yuan per community officer a year, and an optional cap."""
    horizon: list[HorizonStep] = Field([], max_length=MAX_STEPS)
    """Later steps of the plan, dates increasing: the steps are planned together, for the
    fewest moves over all of them. Empty: one date, plan_date."""
    promotions: Promotions | None = None
    """A round of rank promotions and leadership appointments (staffplan promote)."""

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str | None) -> str | None:
        return _known_encoding(value)


# Keys whose values are paths, resolved against the file that sets them.
PATH_KEYS = ("units", "officers", "changes.recruits_file", "changes.retire_file",
             "promotions.history")


def step_configs(config: ScenarioConfig, problems: Problems | None = None,
                 prov: Provenance | None = None, source: str = "") -> list[ScenarioConfig]:
    """One config per step: step 0 is ``config``; step k has its date as ``plan_date``, the
    rules of the steps before it deep-merged with its own, and its own changes."""
    out = [config]
    rules = config.rules.model_dump()
    previous = config.plan_date
    for i, step in enumerate(config.horizon):
        key = f"horizon.{i}"
        where = source_of(prov, key) or source
        if step.date <= previous and problems is not None:
            problems.add(where, column=f"{key}.date",
                         message=t("step_date_order", date=step.date, previous=previous))
        merged = _deep_merge(rules, step.rules)
        try:
            step_rules = Rules.model_validate(merged)
            found = misread_numbers(step.rules, step_rules.model_dump(), f"{key}.rules.")
        except ValidationError as exc:
            found = validation_problems(exc, f"{key}.rules.")
        if found:
            for dotted, message in found:
                if problems is not None:
                    problems.add(where, column=dotted, message=message)
            step_rules = Rules.model_validate(rules)
            merged = rules
        out.append(config.model_copy(update={"plan_date": step.date, "rules": step_rules,
                                             "changes": step.changes, "horizon": []}))
        rules, previous = merged, step.date
    return out


def _deep_merge(base: dict, new: dict) -> dict:
    out = dict(base)
    for k, v in new.items():
        out[k] = (_deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict)
                  else v)
    return out


@dataclass
class Override:
    key: str
    old: Any
    new: Any
    source: str

    def __str__(self) -> str:
        return f"{self.key}: {_show(self.old)} -> {_show(self.new)} ({self.source})"

    def lines(self) -> list[str]:
        """The override for people: one line, or, when it sets a whole section (the
        ``promotions:`` of a file that extends another), a first line and then each key it
        sets on its own indented line, every value kept."""
        if not isinstance(self.new, dict) or not self.new:
            return [str(self)]
        return ([f"{self.key}: {_show(self.old)} -> ({self.source})"]
                + [f"    {key}: {value}" for key, value in _keys(self.new)])


def _show(value: Any) -> str:
    return "(unset)" if value is _UNSET else json.dumps(value, ensure_ascii=False, default=str)


SHORT = 72  # a mapping that fits this on one line stays on one line
FEW = 8  # a longer one gives its keys one by one when it has this many at most


def _keys(section: dict, prefix: str = ""):
    """(dotted key, value as JSON) for each key of ``section``. A mapping of mappings gives
    its keys one by one, and so does a mapping too long for one line with a few keys (the
    rules); a mapping of many values (one per bureau) and a list stay whole, on one line."""
    for key, value in section.items():
        dotted, shown = f"{prefix}{key}", _show(value)
        nested = isinstance(value, dict) and any(isinstance(v, dict) for v in value.values())
        few = isinstance(value, dict) and len(shown) > SHORT and len(value) <= FEW
        if nested or few:
            yield from _keys(value, dotted + ".")
        else:
            yield dotted, shown


_UNSET = object()


@dataclass
class Provenance:
    """Where each effective value came from, and what each later file or --set changed."""

    files: list[str] = field(default_factory=list)  # the chain, ancestors first
    sources: dict[str, str] = field(default_factory=dict)  # dotted key -> file or "--set"
    overrides: list[Override] = field(default_factory=list)


# YAML 1.2 core-schema typing for plain scalars (PyYAML implements YAML 1.1, which reads
# 010 as 8, 1:30 as 90, 0b101 as 5, 1_000 as 1000 and yes/on as true). A number is written
# in digits: an int is [-+]?[0-9]+, decimal even with leading zeros (010 is 10), or 0o17
# (octal) or 0x1F (hex); a float as 1.2 writes it (0.5, .5, 1e3, -1.5E-2, .inf, .nan).
# true and false (any case: True, TRUE) are the only booleans; yes/no/on/off are text (a
# true/false key still accepts them). Anything else, 1:30, 1_000, 0b101, stays text, and
# a key that wants a number says it is not one. No implicit dates either: pydantic parses
# them, so a bad date is a clear error.
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_KEEP = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:yaml")


def yaml12_number(text: str) -> bool:
    """Whether ``text`` is a number as YAML 1.2 writes one (what the scenario reads as one)."""
    text = text.strip()
    return bool(_INT.fullmatch(text) or _FLOAT.fullmatch(text))


class _Loader(yaml.SafeLoader):
    """YAML 1.2 core-schema scalars (above), for every scenario file and --set value."""

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if not _INT.fullmatch(text):
            raise yaml.constructor.ConstructorError(
                None, None, f"not an integer: {clip(text)}", node.start_mark)
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        try:
            return int(text[2:] if base != 10 else text, base)
        except ValueError:  # more digits than Python converts (sys.set_int_max_str_digits):
            return text  # the digits, which the key's bounds refuse as too large

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node)
        if not _FLOAT.fullmatch(text):
            raise yaml.constructor.ConstructorError(
                None, None, f"not a number: {clip(text)}", node.start_mark)
        low = text.lower()
        return float(low.replace(".", "") if low.endswith((".inf", ".nan")) else text)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag in _KEEP]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, _rx, _first in (
        ("tag:yaml.org,2002:bool", _BOOL, "tTfF"),
        ("tag:yaml.org,2002:int", _INT, "-+0123456789"),  # before float: 10 is an int
        ("tag:yaml.org,2002:float", _FLOAT, "-+.0123456789")):
    _Loader.add_implicit_resolver(_tag, re.compile(f"^(?:{_rx.pattern})$"), list(_first))


def load_config(path: Path, problems: Problems | None = None,
                overrides: list[str] | tuple[str, ...] = ()) -> ScenarioConfig | None:
    """Read a scenario file (with what it extends and the ``--set`` overrides) and validate it.

    Without ``problems`` every problem is raised at once as an InputError. With it, problems
    are added there and a best-effort config is returned (invalid keys left at their
    defaults) so the data files can still be checked in the same run; None when the data
    files themselves cannot be named.
    """
    result = load_config_with_provenance(path, problems, overrides)
    return None if result is None else result[0]


def load_config_with_provenance(path: Path, problems: Problems | None = None,
                                overrides=()) -> tuple[ScenarioConfig, Provenance] | None:
    own = problems is None
    problems = Problems() if own else problems
    prov = Provenance()
    got = _read_chain(Path(path), [], problems, prov)
    config = None
    if got is not None:
        merged, prov.sources = got
        _apply_sets(merged, overrides, problems, prov)
        config = _validate(merged, Path(path), problems, prov)
    if own:
        problems.raise_if_any()
    return None if config is None else (config, prov)


# Bounds on a scenario file, checked before anything is built from it: its size, how many
# values it holds once aliases are expanded (a 1 KB "billion laughs" of anchors grows to
# gigabytes in the merge and provenance walk), and how deep it nests.
MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_VALUES = 500_000
MAX_YAML_DEPTH = 50


class YamlProblem(Exception):
    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row, self.message = row, message


def _check_nodes(root) -> None:
    """Count the values ``root`` stands for with every alias expanded (each shared node is
    counted once per use, without expanding anything) and its depth; refuse past the bounds.
    Duplicate keys in a mapping are refused too (YAML would keep the last silently)."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}

    def walk(node, depth: int) -> int:
        if depth > MAX_YAML_DEPTH:
            raise YamlProblem(node.start_mark.line + 1, t("yaml_too_deep", limit=MAX_YAML_DEPTH))
        key = id(node)
        if key in sizes and depths[key] >= depth:
            return sizes[key]
        n = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen and k.value != "<<":
                        raise YamlProblem(k.start_mark.line + 1, t(
                            "duplicate_key", name=k.value, first=seen[k.value]))
                    seen[k.value] = k.start_mark.line + 1
                n += walk(k, depth + 1) + walk(v, depth + 1)
                if n > MAX_YAML_VALUES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                n += walk(v, depth + 1)
                if n > MAX_YAML_VALUES:
                    break
        if n > MAX_YAML_VALUES:
            raise YamlProblem(node.start_mark.line + 1,
                               t("yaml_too_big", limit=f"{MAX_YAML_VALUES:,}"))
        sizes[key], depths[key] = n, depth
        return n

    walk(root, 0)


def _walk_strings(data: Any) -> None:
    """Text that cannot be written back (a lone surrogate from a \\ud800 escape)."""
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            x.encode("utf-8")
        elif isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def load_yaml(text: str) -> Any:
    """YAML text to data, bounded (size of the expanded tree, depth, no duplicate keys);
    raises yaml.YAMLError or YamlProblem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        data = loader.construct_document(node)
    except RecursionError:
        raise YamlProblem(0, t("yaml_too_deep", limit=MAX_YAML_DEPTH)) from None
    finally:
        loader.dispose()
    try:
        _walk_strings(data)
    except UnicodeEncodeError:
        raise YamlProblem(0, t("not_yaml", error="a lone surrogate (\\ud800...)")) from None
    return data


def _read_yaml(path: Path, problems: Problems) -> dict | None:
    """A scenario file's data; None (and the problem recorded) when it cannot be read. It is
    opened where every file staffplan reads is (``read_bounded``): a FIFO, a device or a
    folder is refused before it is opened."""
    from staffplan.io.tables import _TooBig, cannot_open, megabytes, read_bounded

    name = str(path)
    try:
        text = read_bounded(path, MAX_YAML_BYTES).decode("utf-8-sig")
    except _TooBig:
        problems.add(name, message=t("file_too_big", limit=megabytes(MAX_YAML_BYTES)))
        return None
    except OSError as exc:
        problems.add(name, message=cannot_open(exc))
        return None
    except UnicodeDecodeError as exc:
        problems.add(name, message=t("cannot_read", error=exc.__class__.__name__))
        return None
    try:
        data: Any = load_yaml(text)
    except YamlProblem as exc:
        problems.add(name, exc.row, message=exc.message)
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else 0
        problems.add(name, row, message=t("not_yaml", error=getattr(exc, "problem", exc)))
        return None
    if not isinstance(data, dict):
        problems.add(name, message=t("not_mapping"))
        return None
    return data


# Files in one scenario's ``extends:`` chain (each read once, however often it is named).
MAX_EXTENDS = 100


def _chain(paths: list) -> str:
    """A chain of files for a message: all of a short one, the first and last few of a long
    one."""
    names = [str(p) for p in paths]
    if len(names) > 7:
        names = names[:3] + [t("files_between", n=len(names) - 6)] + names[-3:]
    return " -> ".join(names)


def _read_chain(path: Path, stack: list[Path], problems: Problems, prov: Provenance,
                memo: dict | None = None) -> tuple[dict, dict[str, str]] | None:
    """Read ``path`` and what it extends, merged (ancestors first), with the file each value
    came from. Each file is read once (``memo``, by resolved path: a diamond of extends does
    not grow exponentially), and at most MAX_EXTENDS files in all."""
    memo = {} if memo is None else memo
    path = Path(os.path.normpath(path))
    key = Path(os.path.normpath(path.absolute()))
    if key in stack:
        chain = [str(p) for p in stack[stack.index(key):]] + [str(path)]
        problems.add(str(path), column="extends",
                     message=t("extends_cycle", chain=_chain(chain)))
        return None
    if key in memo:
        return memo[key]
    if len(memo) >= MAX_EXTENDS:
        problems.add(str(stack[0]) if stack else str(path), column="extends",
                     message=t("extends_too_many", limit=MAX_EXTENDS,
                               chain=_chain(stack + [key])))
        return None
    memo[key] = None  # read (a failure is said once)
    data = _read_yaml(path, problems)
    if data is None:
        if stack:
            problems.items[-1] = Problem(str(path), problems.items[-1].row, message=t(
                "extended_by", message=problems.items[-1].message, chain=_chain(stack)))
        return None
    _resolve_paths(data, path.parent)
    parents = data.pop("extends", None)
    if parents is None:
        parents = []
    elif isinstance(parents, str):
        parents = [parents]
    elif not (isinstance(parents, list) and all(isinstance(p, str) for p in parents)):
        problems.add(str(path), column="extends", message=t("extends_type"))
        return None
    merged: dict = {}
    sources: dict[str, str] = {}
    for parent in parents:
        got = _read_chain(path.parent / parent, stack + [key], problems, prov, memo)
        if got is None:
            return None
        base, base_sources = got
        _merge(merged, sources, base, base_sources.get, prov, record=False)
    if str(path) not in prov.files:
        prov.files.append(str(path))
    _merge(merged, sources, data, lambda _key: str(path), prov, record=bool(parents))
    memo[key] = merged, sources
    return merged, sources


def _resolve_paths(data: dict, base: Path) -> None:
    steps = data.get("horizon")
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict):
            _resolve_paths({k: v for k, v in step.items() if k == "changes"}, base)
    for dotted in PATH_KEYS:
        *head, last = dotted.split(".")
        d = data
        for k in head:
            d = d.get(k) if isinstance(d, dict) else None
        if isinstance(d, dict) and isinstance(d.get(last), str):
            d[last] = os.path.normpath(base / d[last])


def _merge(into: dict, sources: dict[str, str], new: dict, source_of, prov: Provenance,
           record: bool, prefix: str = "") -> None:
    """Deep-merge ``new`` over ``into`` (mappings merge, anything else replaces), keeping
    ``sources`` (dotted key -> file) in step; ``record`` logs each changed value."""
    for k, v in new.items():
        dotted = f"{prefix}{k}"
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], sources, v, source_of, prov, record, dotted + ".")
            continue
        old = into.get(k, _UNSET)
        if record and old != v:
            prov.overrides.append(Override(dotted, old, v, source_of(dotted) or "?"))
        into[k] = copy.deepcopy(v)
        _set_source(sources, dotted, v, source_of)


def _set_source(sources: dict[str, str], dotted: str, value: Any, source_of) -> None:
    for key in [s for s in sources if s == dotted or s.startswith(dotted + ".")]:
        del sources[key]

    def mark(d: str, v: Any) -> None:
        if isinstance(v, dict) and v:
            for k, sub in v.items():
                mark(f"{d}.{k}", sub)
        else:
            sources[d] = source_of(d) or "?"

    mark(dotted, value)


def _apply_sets(merged: dict, overrides, problems: Problems, prov: Provenance) -> None:
    """``--set key=value``: the value is read as YAML (1.2, as the files are), so numbers,
    null and lists keep their type; validation comes with the rest of the config. An empty
    value is an error: ``null`` switches a rule off."""
    seen: set[str] = set()
    for item in overrides:
        if "=" not in item:
            problems.add("--set", column=item, message=t("set_syntax"))
            continue
        dotted, text = (x.strip() for x in item.split("=", 1))
        if not all(part.strip() for part in dotted.split(".")):
            problems.add("--set", column=item, message=t("set_bad_key"))
            continue
        if dotted in seen:
            problems.add("--set", column=dotted, message=t("set_twice"))
            continue
        seen.add(dotted)
        if not text:  # not null: a rule is switched off only when it says so
            problems.add("--set", column=dotted, message=t("set_empty"))
            continue
        try:
            value = load_yaml(text)
        except YamlProblem as exc:
            problems.add("--set", column=dotted, message=exc.message)
            continue
        except yaml.YAMLError:
            value = text
        *head, last = dotted.split(".")
        d = merged
        for k in head:
            if not isinstance(d.get(k), dict):
                d[k] = {}
            d = d[k]
        if dotted in PATH_KEYS and isinstance(value, str):
            value = os.path.normpath(value)
        old = d.get(last, _UNSET)
        prov.overrides.append(Override(dotted, old, value, "--set"))
        d[last] = value
        _set_source(prov.sources, dotted, value, lambda _key: "--set")


def _validated(data: dict) -> tuple[ScenarioConfig | None, list[tuple[str, str]]]:
    """The config and its problems: pydantic's, or values read as numbers that were not
    written as numbers."""
    try:
        config = ScenarioConfig.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc)
    return config, misread_numbers(data, config.model_dump())


def _validate(data: dict, path: Path, problems: Problems,
              prov: Provenance) -> ScenarioConfig | None:
    config, found = _validated(data)
    if not found:
        step_configs(config, problems, prov, str(path))
        return config
    fallback = {"name": "?", "plan_date": date.today()}
    kept = dict(data)
    while found:
        bad = set()
        for key, message in found:
            source = source_of(prov, key) or str(path)
            problems.add(source, column=key, message=message)
            bad.add(key.split(".")[0] if key != "(top)" else "")
        if bad & {"units", "officers", ""} or not bad & set(kept):
            return None
        kept = {k: v for k, v in kept.items() if k not in bad}
        config, found = _validated({**fallback, **kept})
        if config is None:
            return None
    return config


def misread_numbers(raw: Any, read: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted key, message) for each value of ``raw`` (the data as written) that validation
    (``read``, the validated data dumped) took as a number though it was not written as
    one: text that YAML 1.2 does not read as a number (pydantic would take 1_000 as 1000)
    and true/false (which it would take as 1 and 0)."""
    if isinstance(raw, dict) and isinstance(read, dict):
        return [p for k, v in raw.items() if k in read
                for p in misread_numbers(v, read[k], f"{prefix}{k}.")]
    if isinstance(raw, list) and isinstance(read, (list, tuple)) and len(raw) == len(read):
        return [p for i, (v, w) in enumerate(zip(raw, read))
                for p in misread_numbers(v, w, f"{prefix}{i}.")]
    if (isinstance(read, (int, float)) and not isinstance(read, bool)
            and (isinstance(raw, bool) or isinstance(raw, str) and not yaml12_number(raw))):
        message = (t("bool_not_number", value=json.dumps(raw)) if isinstance(raw, bool)
                   else t("not_written_as_number", value=clip(raw)))
        return [(prefix.rstrip("."), message)]
    return []


def source_of(prov: Provenance | None, key: str) -> str | None:
    """The file (or --set) that set ``key``, every value under it (a mapping set as a
    whole), or the nearest mapping above it."""
    if prov is None:
        return None
    if key not in prov.sources:
        below = {v for k, v in prov.sources.items() if k.startswith(key + ".")}
        if len(below) == 1:
            return below.pop()
    while key:
        if key in prov.sources:
            return prov.sources[key]
        key = key.rpartition(".")[0]
    return None


_PYDANTIC = {"extra_forbidden": "unknown_key", "missing": "missing_key",
             "less_than_equal": "le", "greater_than_equal": "ge", "float_parsing": "not_number",
             "float_type": "w_number_expected", "int_parsing": "not_integer",
             "int_type": "not_integer",
             "int_from_float": "not_integer", "bool_parsing": "not_bool", "bool_type": "not_bool",
             "date_from_datetime_parsing": "not_date", "date_parsing": "not_date",
             "date_type": "not_date", "int_parsing_size": "number_too_big",
             "finite_number": "not_a_number", "string_type": "not_string_value",
             "string_too_long": "too_many_chars", "string_too_short": "empty_value",
             "too_long": "too_many_items", "too_short": "too_few_items",
             "dict_type": "not_mapping_value", "model_type": "not_mapping_value",
             "model_attributes_type": "not_mapping_value", "list_type": "not_list",
             "literal_error": "not_one_of"}

# What a value of the wrong type should have been, in words (a union says its choices).
_WORDS = {"int_type": "w_int", "int_parsing": "w_int", "int_from_float": "w_int",
          "float_type": "w_number", "float_parsing": "w_number", "bool_type": "w_bool",
          "bool_parsing": "w_bool", "string_type": "w_text", "list_type": "w_list",
          "dict_type": "w_mapping", "model_type": "w_mapping",
          "model_attributes_type": "w_mapping", "date_type": "w_date", "date_parsing": "w_date",
          "none_required": "w_null"}

# pydantic names a union's alternative in the error's location ('constrained-int',
# 'dict[str,constrained-int]', a model's class name): not a key of the scenario.
_TAG = re.compile(r"(int|float|str|bool|none|bytes|decimal|"
                  r"(constrained|function|lax|json|nullable|literal|tagged|union|is|model|"
                  r"dataclass|list|dict|tuple|set|frozenset|default)[-\[].*)")


def _model_names() -> set[str]:
    names, stack = set(), [Settings]
    while stack:
        cls = stack.pop()
        names.add(cls.__name__)
        stack.extend(cls.__subclasses__())
    return names


def _is_tag(part, models: set[str]) -> bool:
    return isinstance(part, str) and (bool(_TAG.fullmatch(part)) or part in models
                                      or part == "[key]")


def validation_problems(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted key, message) for each problem of a failed validation, in words: the
    alternatives of a union (a number or a mapping per bureau) are said once, at the key the
    user wrote, and a value of the wrong type says what it should have been."""
    models = _model_names()
    plain: list[tuple[str, dict]] = []
    unions: dict[str, dict[str, list[tuple[str, dict]]]] = {}
    for err in exc.errors():
        loc = list(err["loc"])
        at = next((i for i, p in enumerate(loc) if _is_tag(p, models)), None)
        key = ".".join(clip(str(p)) for p in loc if not _is_tag(p, models))
        if at is None:
            plain.append((key, err))
            continue
        root = ".".join(clip(str(p)) for p in loc[:at])
        unions.setdefault(root, {}).setdefault(str(loc[at]), []).append((key, err))
    out = [(key, _pydantic_message(err) + _near_key(err)) for key, err in plain]
    for root, branches in unions.items():
        def mismatch(items, root=root):
            return all(k == root and e["type"] in _WORDS for k, e in items)

        near = [items for items in branches.values() if not mismatch(items)]
        if near:
            out.extend((key, _pydantic_message(err)) for items in near for key, err in items)
            continue
        words = list(dict.fromkeys(t(_WORDS[e["type"]]) for items in branches.values()
                                   for _, e in items))
        out.append((root, t("expected", choices=t("w_or").join(words))))
    return [(prefix + key if key else (prefix.rstrip(".") or "(top)"), message)
            for key, message in dict.fromkeys(out)]


def _number(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else value


def _near_key(err: dict) -> str:
    """For an unknown key, the key of the same mapping it is a misspelling of, if any
    (``comunity_share``: did you mean ``community_share``?)."""
    if err["type"] != "extra_forbidden":
        return ""
    import difflib
    import typing

    from pydantic import BaseModel

    cls, loc = ScenarioConfig, [p for p in err["loc"] if isinstance(p, str)]
    for part in loc[:-1]:
        field = cls.model_fields.get(part)
        todo, models = [field.annotation] if field is not None else [], []
        while todo:
            kind = todo.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                models.append(kind)
            todo.extend(typing.get_args(kind))
        if not models:
            return ""
        cls = models[0]
    near = difflib.get_close_matches(loc[-1] if loc else "", list(cls.model_fields), 1, 0.75)
    return t("key_did_you_mean", name=near[0]) if near else ""


def _pydantic_message(err: dict) -> str:
    """pydantic's message, in the current language, in words."""
    if err["type"] in ("value_error", "assertion_error"):
        error = (err.get("ctx") or {}).get("error")
        return str(error) if error is not None else str(err["msg"])
    key = _PYDANTIC.get(err["type"])
    if key is None:
        return str(err["msg"])
    ctx = err.get("ctx") or {}
    values = {"le": _number(ctx.get("le")), "ge": _number(ctx.get("ge")),
              "n": _number(ctx.get("max_length", ctx.get("min_length"))),
              "choices": ctx.get("expected", "")}
    from staffplan.i18n import placeholders, template

    return t(key, **{k: v for k, v in values.items() if k in placeholders(template(key))})


def json_schema() -> dict:
    """The JSON Schema of a scenario file, with the descriptions above."""
    schema = ScenarioConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "staffplan scenario"
    # A file that extends another may leave the required keys to its parents.
    required = schema.pop("required", [])
    schema["if"] = {"required": ["extends"]}
    schema["else"] = {"required": required}
    return schema
