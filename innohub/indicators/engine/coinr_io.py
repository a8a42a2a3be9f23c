"""Reading COINr's two-table layout: ``iMeta`` (the framework) and ``iData`` (the values).

``iMeta`` has one row per code with ``Level``, ``iCode``, ``iName``, ``Direction``, ``Weight``,
``Parent``, ``Type`` (Indicator, Aggregate, Group, Denominator, Other) and optionally ``Unit``,
``Target``, ``Denominator``, ``Source`` and ``iName_vi``. ``iData`` has one row per unit (and year,
in ``Time``, for panel data) with ``uCode``, optionally ``uName``, the group and denominator
columns and one column per indicator. Both files are checked as a whole and every problem is
reported (row, column, message) before anything is built.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, FrameworkError, Problem
from .framework import Aggregate, Dataset, Framework, Indicator

IMETA_REQUIRED = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")
IMETA_TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")


def _read_csv(path: str | Path, what: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DataError([Problem("file_not_found", "{what}: file not found: {path}", what=what, path=str(path))]) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError([Problem("file_not_csv", "{what}: cannot read {path} as CSV: {error}", what=what,
                                 path=str(path), error=str(exc))]) from exc


def _number_or_nan(text: str) -> float:
    return float(text) if text.strip() not in ("", "NA", "NaN", "nan") else float("nan")


def framework_from_imeta(imeta: pd.DataFrame) -> Framework:
    problems: list[str] = []
    missing = [c for c in IMETA_REQUIRED if c not in imeta.columns]
    if missing:
        raise FrameworkError([Problem("imeta_missing_column", "iMeta: missing column {column}", column=repr(c))
                              for c in missing])
    indicators: list[Indicator] = []
    aggregates: list[Aggregate] = []
    groups: list[str] = []
    denominators: list[str] = []
    for row_no, row in enumerate(imeta.to_dict("records"), start=2):  # row 1 is the header
        code, kind = row["iCode"].strip(), row["Type"].strip()
        where = (Problem("imeta_where", "iMeta row {row} ({code})", row=row_no, code=code) if code
                 else Problem("imeta_where_no_code", "iMeta row {row} (no code)", row=row_no))
        if not code:
            problems.append(Problem("imeta_no_code", "{where}: iCode is empty", where=where))
            continue
        if kind not in IMETA_TYPES:
            problems.append(Problem("imeta_bad_type", "{where}, column Type: {value} is not one of {types}", where=where,
                                    value=repr(kind), types=", ".join(IMETA_TYPES)))
            continue
        if kind == "Group":
            groups.append(code)
            continue
        if kind == "Denominator":
            denominators.append(code)
            continue
        if kind == "Other":
            continue
        numbers: dict[str, float] = {}
        for column in ("Level", "Direction", "Weight", "Target"):
            text = str(row.get(column, "") or "")
            try:
                numbers[column] = _number_or_nan(text)
            except ValueError:
                problems.append(Problem("imeta_not_number", "{where}, column {column}: {value} is not a number",
                                        where=where, column=column, value=repr(text)))
                numbers[column] = float("nan")
        level = numbers["Level"]
        if np.isnan(level) or level != int(level):
            problems.append(Problem("imeta_level_not_whole", "{where}, column Level: a whole number is needed", where=where))
            continue
        weight = 1.0 if np.isnan(numbers["Weight"]) else numbers["Weight"]
        names = {"name_en": row.get("iName", "") or "", "name_vi": row.get("iName_vi", "") or ""}
        parent = (row.get("Parent") or "").strip() or None
        if kind == "Indicator":
            if int(level) != 1:
                problems.append(Problem("imeta_indicator_level", "{where}: indicators must be at Level 1", where=where))
            direction = numbers["Direction"]
            indicators.append(
                Indicator(
                    code=code,
                    parent=parent or "",
                    direction=int(direction) if not np.isnan(direction) else 0,
                    weight=weight,
                    unit=row.get("Unit", "") or "",
                    denominator=(row.get("Denominator") or "").strip() or None,
                    source=row.get("Source", "") or "",
                    target=None if np.isnan(numbers["Target"]) else numbers["Target"],
                    **names,
                )
            )
        else:
            aggregates.append(Aggregate(code=code, level=int(level), parent=parent, weight=weight, **names))
    if problems:
        raise FrameworkError(problems)
    return Framework(indicators, aggregates, group_columns=groups, denominator_columns=denominators)


def dataset_from_idata(framework: Framework, idata: pd.DataFrame) -> Dataset:
    problems: list[str] = []
    needed = ["uCode", *framework.indicator_codes, *framework.group_columns, *framework.denominator_columns]
    missing = [c for c in needed if c not in idata.columns]
    problems += [Problem("idata_missing_column", "iData: missing column {column}", column=repr(c)) for c in missing]
    if problems:
        raise DataError(problems)
    idata = idata.copy()
    idata["uCode"] = idata["uCode"].str.strip()
    if (idata["uCode"] == "").any():
        rows = (np.flatnonzero(idata["uCode"] == "") + 2).tolist()
        problems.append(Problem("idata_no_unit_code",
                                "iData row {rows}: uCode is empty" if len(rows) == 1 else "iData rows {rows}: uCode is empty",
                                rows=", ".join(map(str, rows)), count=len(rows)))
    has_time = "Time" in idata.columns
    numeric_columns = [*framework.indicator_codes, *framework.denominator_columns] + (["Time"] if has_time else [])
    numbers: dict[str, np.ndarray] = {}
    for column in numeric_columns:
        raw = idata[column].str.strip().replace({"NA": "", "NaN": "", "nan": ""})
        parsed = pd.to_numeric(raw.replace("", np.nan), errors="coerce")
        bad = parsed.isna() & (raw != "")
        for row_pos in np.flatnonzero(bad.to_numpy())[:5]:
            problems.append(Problem("idata_not_number", "iData row {row} ({unit}), column {column}: {value} is not a number",
                                    row=int(row_pos) + 2, unit=idata["uCode"].iloc[row_pos], column=column,
                                    value=repr(idata[column].iloc[row_pos])))
        if bad.sum() > 5:
            more = int(bad.sum()) - 5
            problems.append(Problem("idata_more_not_numbers",
                                    "iData column {column}: {count} more value is not a number" if more == 1
                                    else "iData column {column}: {count} more values are not numbers",
                                    column=column, count=more))
        numbers[column] = parsed.to_numpy(dtype=float)
    if has_time and np.isnan(numbers["Time"]).any():
        problems.append(Problem("idata_no_year", "iData column Time: every row needs a year"))
    if problems:
        raise DataError(problems)
    years_per_row = numbers["Time"].astype(int) if has_time else np.zeros(len(idata), dtype=int)
    keys = pd.DataFrame({"uCode": idata["uCode"], "year": years_per_row})
    dupes = keys[keys.duplicated(keep=False)]
    if not dupes.empty:
        pairs = sorted({f"{u} {y}" for u, y in dupes.itertuples(index=False)})
        raise DataError([Problem("idata_duplicate", "iData: unit and year appear more than once: {pair}", pair=p)
                         for p in pairs])
    unit_codes = tuple(pd.unique(idata["uCode"]))
    years = tuple(sorted(set(years_per_row.tolist())))
    u_pos = pd.Index(unit_codes).get_indexer(idata["uCode"])
    y_pos = pd.Index(years).get_indexer(years_per_row)
    values = np.full((len(years), len(unit_codes), len(framework.indicator_codes)), np.nan)
    values[y_pos, u_pos, :] = np.column_stack([numbers[c] for c in framework.indicator_codes])
    denominators: dict[str, np.ndarray] = {}
    for name in framework.denominator_columns:
        grid = np.full((len(years), len(unit_codes)), np.nan)
        grid[y_pos, u_pos] = numbers[name]
        denominators[name] = grid
    first_rows = idata.drop_duplicates("uCode").set_index("uCode")
    names = tuple(first_rows["uName"].reindex(list(unit_codes))) if "uName" in idata.columns else unit_codes
    groups = first_rows[list(framework.group_columns)].reindex(list(unit_codes))
    groups.index.name = "uCode"
    return Dataset(
        framework=framework,
        unit_codes=unit_codes,
        years=years,
        values=values,
        unit_names=names,
        groups=groups,
        denominators=denominators,
    )


def load_coinr(idata_path: str | Path, imeta_path: str | Path) -> Dataset:
    """Read and check both files; raise with every problem found, build nothing otherwise."""
    framework = framework_from_imeta(_read_csv(imeta_path, "iMeta"))
    return dataset_from_idata(framework, _read_csv(idata_path, "iData"))
