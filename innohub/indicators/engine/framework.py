"""The framework as data: indicators, the aggregates they roll up into, units and their values.

A framework is a tree: indicators are level 1, each aggregate sits one level above its children
(pillars, sub-pillars, sub-indices, the index — any number of levels), and exactly one aggregate
tops the tree. A dataset holds the values of that framework's indicators for a set of units
(districts, cities, provinces, countries; each with any number of group labels) over one or more
years, as a dense ``(years, units, indicators)`` array so every pipeline step is a numpy operation
over whole columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import DataError, FrameworkError, Problem


@dataclass(frozen=True)
class Indicator:
    code: str
    parent: str
    name_en: str = ""
    name_vi: str = ""
    unit: str = ""
    direction: int = 1
    weight: float = 1.0
    denominator: str | None = None
    source: str = ""
    target: float | None = None


@dataclass(frozen=True)
class Aggregate:
    code: str
    level: int
    parent: str | None = None
    name_en: str = ""
    name_vi: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class LevelLinks:
    """How one level's codes roll up into the next: a child × parent membership matrix."""

    child_codes: tuple[str, ...]
    parent_codes: tuple[str, ...]
    membership: np.ndarray  # bool (children, parents)
    child_weights: np.ndarray  # float (children,)


class Framework:
    """Validated indicator tree; construction fails with every inconsistency listed."""

    def __init__(
        self,
        indicators: Sequence[Indicator],
        aggregates: Sequence[Aggregate],
        *,
        group_columns: Sequence[str] = (),
        denominator_columns: Sequence[str] = (),
    ) -> None:
        self.indicators: tuple[Indicator, ...] = tuple(indicators)
        self.aggregates: tuple[Aggregate, ...] = tuple(aggregates)
        self.group_columns: tuple[str, ...] = tuple(group_columns)
        self.denominator_columns: tuple[str, ...] = tuple(denominator_columns)
        self._validate()
        self.indicator_codes: tuple[str, ...] = tuple(i.code for i in self.indicators)
        self.directions = np.array([i.direction for i in self.indicators], dtype=float)
        self.top_level: int = max(a.level for a in self.aggregates)
        self.index_code: str = next(a.code for a in self.aggregates if a.level == self.top_level)
        self.levels: list[tuple[str, ...]] = [self.indicator_codes] + [
            tuple(a.code for a in self.aggregates if a.level == level)
            for level in range(2, self.top_level + 1)
        ]
        self.aggregate_codes: tuple[str, ...] = tuple(c for lvl in self.levels[1:] for c in lvl)
        self.all_codes: tuple[str, ...] = self.indicator_codes + self.aggregate_codes
        self._by_code: dict[str, Indicator | Aggregate] = {
            n.code: n for n in self._all_nodes()
        }

    def _all_nodes(self) -> tuple[Indicator | Aggregate, ...]:
        return (*self.indicators, *self.aggregates)

    def _validate(self) -> None:
        problems: list[str] = []
        if not self.indicators:
            problems.append(Problem("fw_no_indicators", "the framework has no indicators"))
        if not self.aggregates:
            problems.append(Problem("fw_no_aggregates", "the framework has no aggregates (at least an index is needed)"))
        codes = [n.code for n in self._all_nodes()]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            problems.append(Problem("fw_duplicate_codes", "duplicate codes: {codes}", codes=", ".join(dupes)))
        level_of = {a.code: a.level for a in self.aggregates}
        level_of.update({i.code: 1 for i in self.indicators})
        for ind in self.indicators:
            if ind.direction not in (1, -1):
                problems.append(Problem("fw_bad_direction", "indicator {code}: direction must be 1 or -1, not {direction}",
                                        code=ind.code, direction=ind.direction))
            if not np.isfinite(ind.weight) or ind.weight < 0:
                problems.append(Problem("fw_bad_indicator_weight", "indicator {code}: weight must be a number >= 0",
                                        code=ind.code))
            if ind.parent not in level_of or level_of[ind.parent] != 2:
                problems.append(Problem("fw_bad_indicator_parent", "indicator {code}: parent {parent} is not a level-2 aggregate",
                                        code=ind.code, parent=repr(ind.parent)))
            if ind.denominator and ind.denominator not in self.denominator_columns:
                problems.append(Problem("fw_bad_denominator",
                                        "indicator {code}: denominator {denominator} is not a denominator column",
                                        code=ind.code, denominator=repr(ind.denominator)))
        if self.aggregates:
            top = max(a.level for a in self.aggregates)
            roots = [a.code for a in self.aggregates if a.level == top]
            if len(roots) != 1:
                problems.append(Problem("fw_several_roots", "exactly one aggregate must top the tree; level {level} has {roots}",
                                        level=top, roots=", ".join(roots)))
            for agg in self.aggregates:
                if agg.level < 2:
                    problems.append(Problem("fw_bad_aggregate_level", "aggregate {code}: level must be >= 2", code=agg.code))
                if not np.isfinite(agg.weight) or agg.weight < 0:
                    problems.append(Problem("fw_bad_aggregate_weight", "aggregate {code}: weight must be a number >= 0",
                                            code=agg.code))
                if agg.level == top:
                    continue
                if agg.parent not in level_of or level_of[agg.parent] != agg.level + 1:
                    problems.append(Problem("fw_bad_aggregate_parent",
                                            "aggregate {code}: parent {parent} is not a level-{level} aggregate",
                                            code=agg.code, parent=repr(agg.parent), level=agg.level + 1))
            parents = {i.parent for i in self.indicators} | {a.parent for a in self.aggregates}
            for agg in self.aggregates:
                if agg.code not in parents:
                    problems.append(Problem("fw_childless_aggregate", "aggregate {code} has no children", code=agg.code))
        if problems:
            raise FrameworkError(problems)

    def node(self, code: str) -> Indicator | Aggregate:
        return self._by_code[code]

    def children(self, code: str) -> list[str]:
        nodes: Iterable[Indicator | Aggregate] = (*self.indicators, *self.aggregates)
        return [n.code for n in nodes if n.parent == code]

    def level_of(self, code: str) -> int:
        node = self._by_code[code]
        return 1 if isinstance(node, Indicator) else node.level

    def links(self, level: int, weights: Mapping[str, float] | None = None) -> LevelLinks:
        """Links from ``level`` (1 = indicators) to ``level + 1``, with each child's weight."""
        child_codes = self.levels[level - 1]
        parent_codes = self.levels[level]
        parent_pos = {c: j for j, c in enumerate(parent_codes)}
        membership = np.zeros((len(child_codes), len(parent_codes)), dtype=bool)
        child_weights = np.empty(len(child_codes))
        for i, code in enumerate(child_codes):
            node = self._by_code[code]
            membership[i, parent_pos[node.parent]] = True  # type: ignore[index]
            child_weights[i] = weights[code] if weights and code in weights else node.weight
        return LevelLinks(child_codes, parent_codes, membership, child_weights)

    def weights(self) -> dict[str, float]:
        return {n.code: float(n.weight) for n in self._all_nodes() if n.parent}


@dataclass
class Dataset:
    """Values of a framework's indicators: ``values[year, unit, indicator]``, NaN where missing."""

    framework: Framework
    unit_codes: tuple[str, ...]
    years: tuple[int, ...]
    values: np.ndarray
    unit_names: tuple[str, ...] = ()
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)  # index unit code, one column per group
    denominators: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (years, units)

    def __post_init__(self) -> None:
        problems: list[str] = []
        self.values = np.asarray(self.values, dtype=float)
        expected = (len(self.years), len(self.unit_codes), len(self.framework.indicator_codes))
        if self.values.shape != expected:
            problems.append(Problem("data_bad_shape", "values have shape {shape}, expected {expected}",
                                    shape=self.values.shape, expected=expected))
        if len(set(self.unit_codes)) != len(self.unit_codes):
            problems.append(Problem("data_units_not_unique", "unit codes are not unique"))
        if len(set(self.years)) != len(self.years):
            problems.append(Problem("data_years_not_unique", "years are not unique"))
        if np.isinf(self.values).any():
            problems.append(Problem("data_infinite", "values contain infinities"))
        for name, arr in self.denominators.items():
            if np.shape(arr) != expected[:2]:
                problems.append(Problem("data_bad_denominator_shape", "denominator {name} has shape {shape}, expected {expected}",
                                        name=name, shape=np.shape(arr), expected=expected[:2]))
        if not self.unit_names:
            self.unit_names = self.unit_codes
        if self.groups.empty:
            self.groups = pd.DataFrame(index=pd.Index(self.unit_codes, name="uCode"))
        if problems:
            raise DataError(problems)

    @classmethod
    def from_long(
        cls,
        framework: Framework,
        frame: pd.DataFrame,
        *,
        unit: str = "uCode",
        year: str = "Time",
        indicator: str = "iCode",
        value: str = "Value",
        groups: pd.DataFrame | None = None,
    ) -> Dataset:
        """Build from one row per (unit, year, indicator) value, as records in a database come."""
        missing = [c for c in (unit, year, indicator, value) if c not in frame.columns]
        if missing:
            raise DataError([Problem("data_missing_column", "missing column: {column}", column=c) for c in missing])
        unknown = sorted(set(frame[indicator]) - set(framework.indicator_codes))
        if unknown:
            raise DataError([Problem("data_unknown_indicator", "unknown indicator code: {code}", code=c) for c in unknown])
        units = tuple(pd.unique(frame[unit]))
        years = tuple(sorted(int(y) for y in pd.unique(frame[year])))
        u_pos = pd.Index(units).get_indexer(frame[unit])
        y_pos = pd.Index(years).get_indexer(frame[year].astype(int))
        i_pos = pd.Index(framework.indicator_codes).get_indexer(frame[indicator])
        values = np.full((len(years), len(units), len(framework.indicator_codes)), np.nan)
        values[y_pos, u_pos, i_pos] = pd.to_numeric(frame[value]).to_numpy(dtype=float)
        group_frame = groups.reindex(units) if groups is not None else pd.DataFrame()
        return cls(framework, units, years, values, groups=group_frame)
