"""Reports of the index, per unit and for the whole framework, as PDF (reportlab) and XLSX
(``core.tabular``'s writer), in the active language.

reportlab's own fonts (Vera, Helvetica) lack Vietnamese letters such as ư, ơ, ạ, ễ, so the PDF
uses DejaVu Sans, the TTF matplotlib ships (the charts use the same font, so a report reads as
one). Charts are the page's charts drawn as PNG (see ``charts``).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from innohub.core.dates import format_date
from innohub.core.tabular import DECIMAL, Column, Sheet, xlsx_bytes
from innohub.indicators import charts, selectors
from innohub.indicators.models import Indicator, Run, Unit, Value

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(charts.FONT_PATH)))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(charts.FONT_BOLD_PATH)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#5b6b7b")),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=10,
                             spaceAfter=4, keepWithNext=True),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
    }


def _score(value: float | None) -> str:
    return charts.fmt(value, 2) if value is not None else "—"


def _rank(value: Any) -> str:
    return "—" if value is None else charts.fmt(value, 0 if float(value).is_integer() else 1)


def _value(item: dict[str, Any]) -> str:
    return charts.value_text(item["value"], item["measure"]) if item["value"] is not None else _("no data (imputed)")


def _item_rank(item: dict[str, Any]) -> str:
    """A profile entry's rank; a rank several units share says so ("đồng hạng 5")."""
    if item.get("no_data") or item["rank"] is None:
        return "—"
    return _("tied %(rank)s") % {"rank": _rank(item["rank"])} if item.get("tied") else _rank(item["rank"])


def _rank_words(item: dict[str, Any]) -> str:
    """"rank 3", or "tied rank 5" when several units share it."""
    if item.get("tied"):
        return _("tied rank %(rank)s") % {"rank": _rank(item["rank"])}
    return _("rank %(rank)s") % {"rank": _rank(item["rank"])}


def _item_score(item: dict[str, Any]) -> str:
    return "—" if item.get("no_data") else _score(item["score"])


def _para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: Paragraph reads its text as markup, so "R&D" would lose its
    ampersand and a "<" would break the whole report."""
    return Paragraph(escape(str(text)), style)


CELL_PADDING = 12  # reportlab's default left and right padding of a table cell, together
SMALLEST_FONT = 6.0


def _cell(text: Any, width: float, style: ParagraphStyle) -> Paragraph:
    """A table cell that wraps between words only: a word wider than its column is set in a
    smaller font (down to 6 pt) rather than broken ("Infrastructur/e")."""
    words = str(text).split() or [""]
    room = width - CELL_PADDING
    widest = max(pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in words)
    if widest > room:
        size = max(SMALLEST_FONT, style.fontSize * room / widest)
        style = ParagraphStyle(f"{style.name}-{size:.2f}", parent=style, fontSize=size,
                               leading=size * style.leading / style.fontSize)
    return _para(text, style)


def _table(rows: list[list[Any]], widths: list[float], styles: dict[str, ParagraphStyle]) -> Table:
    cells = [[c if isinstance(c, Paragraph) else _cell(c, w, styles["cell"]) for c, w in zip(row, widths, strict=True)]
             for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f0fb")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c5d0db")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _image(png: bytes, width: float) -> Image:
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth, image.drawHeight = width, width * ratio
    return image


def _header(run: Run, title: str, styles: dict[str, ParagraphStyle], year: int) -> list[Any]:
    framework = run.framework
    return [
        _para(title, styles["title"]),
        _para(f"{framework.display_name} · {_('Year')} {year}", styles["body"]),
        _para(
            _("Run #%(run)d, framework version %(version)d, computed %(date)s; made %(today)s.") % {
                "run": run.pk, "version": run.framework_version,
                "date": format_date(run.finished_at) if run.finished_at else "—",
                "today": format_date(timezone.localdate())},
            styles["small"],
        ),
        Spacer(1, 8),
    ]


AUTHOR = "Sở Khoa học và Công nghệ TP. Hồ Chí Minh"  # the department that publishes the report


def _pdf(story: list[Any], *, wide: bool = False, title: str = "innohub", subject: str = "") -> bytes:
    buffer = io.BytesIO()
    size = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(buffer, pagesize=size, leftMargin=1.6 * cm, rightMargin=1.6 * cm,
                            topMargin=1.5 * cm, bottomMargin=1.5 * cm, title=title, author=AUTHOR,
                            subject=subject, creator="innohub", lang=get_language() or "vi")

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(1.6 * cm, 0.9 * cm, _("HCMC Department of Science and Technology · innohub"))
        canvas.drawRightString(size[0] - 1.6 * cm, 0.9 * cm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def unit_pdf(*, run: Run, unit: Unit, year: int) -> bytes:
    styles = _styles()
    profile = selectors.unit_profile(run=run, unit=unit, year=year)
    width = A4[0] - 3.2 * cm
    story = _header(run, _("Innovation profile: %(unit)s") % {"unit": unit.display_name}, styles, year)
    story.append(_para(
        _("%(index)s: %(score)s points, rank %(rank)s of %(count)d.") % {
            "index": profile.index.name, "score": _score(profile.index_score), "rank": _rank(profile.index_rank),
            "count": profile.units_ranked},
        styles["h2"]))
    story.append(_para(_("Scores by pillar"), styles["h2"]))
    story.append(_table(
        [[_("Pillar"), _("Score"), _("Rank")]] + [[p["name"], _score(p["score"]), _item_rank(p)] for p in profile.pillars],
        [width * 0.64, width * 0.18, width * 0.18], styles))
    story.append(Spacer(1, 6))
    story.append(_image(charts.to_png(charts.bar_chart([p["name"] for p in profile.pillars],
                                                       [p["score"] for p in profile.pillars],
                                                       xlabel=_("Score (0–100)"))), width * 0.9))
    for heading, items in ((_("Strengths"), profile.strengths), (_("Weaknesses"), profile.weaknesses)):
        story.append(_para(heading, styles["h2"]))
        story.append(_table(
            [[_("Indicator"), _("Value"), _("Score"), _("Rank")]]
            + [[i["name"], _value(i), _item_score(i), _item_rank(i)] for i in items],
            [width * 0.52, width * 0.2, width * 0.14, width * 0.14], styles))
    if len(profile.years) > 1:
        names = profile.names
        story.append(_para(_("Trends"), styles["h2"]))
        story.append(_image(charts.to_png(charts.line_chart(
            profile.years, {names[c]: v for c, v in profile.trend.items()}, ylabel=_("Score (0–100)"))), width))
    story.append(_para(_("Indicator list"), styles["h2"]))
    story.append(_table(
        [[_("Code"), _("Indicator"), _("Value"), _("Score"), _("Rank")]]
        + [[i["code"], i["name"], _value(i), _item_score(i), _item_rank(i)] for i in profile.indicators],
        [width * 0.1, width * 0.44, width * 0.2, width * 0.13, width * 0.13], styles))
    return _pdf(story)


def _summary(run: Run, year: int, rows: list[Any], index: Any, pillars: list[Any]) -> list[str]:
    """Findings in words, generated from the results: who leads and who trails, the largest movers
    since the year before, the strongest and weakest pillars, how certain the ranking is."""
    ranked = sorted((r for r in rows if r.ranks[index.code] is not None), key=lambda r: r.ranks[index.code] or 0)
    if not ranked:
        return [_("No unit has a result for %(year)d.") % {"year": year}]
    lines = []
    first, last = ranked[0], ranked[-1]
    lines.append(_("%(unit)s leads the %(index)s in %(year)d with %(score)s points; %(last)s is last of %(n)d units with %(last_score)s.") % {
        "unit": first.unit.display_name, "index": index.name, "year": year, "score": _score(first.scores[index.code]),
        "last": last.unit.display_name, "n": len(ranked), "last_score": _score(last.scores[index.code])})
    before = {r.unit.pk: r.ranks[index.code] for r in selectors.ranking(run=run, year=year - 1)} if year > run.year_from else {}
    moves = [(before[r.unit.pk] - r.ranks[index.code], r) for r in ranked if before.get(r.unit.pk) is not None]
    if moves:
        up = max(moves, key=lambda m: m[0])
        down = min(moves, key=lambda m: m[0])
        if up[0] > 0:
            lines.append(_("The largest rise since %(prev)d: %(unit)s, up %(n)d places to rank %(rank)s.") % {
                "prev": year - 1, "unit": up[1].unit.display_name, "n": up[0], "rank": _rank(up[1].ranks[index.code])})
        if down[0] < 0:
            lines.append(_("The largest fall: %(unit)s, down %(n)d places to rank %(rank)s.") % {
                "unit": down[1].unit.display_name, "n": -down[0], "rank": _rank(down[1].ranks[index.code])})
        if up[0] <= 0 and down[0] >= 0:
            lines.append(_("No unit changed rank since %(prev)d.") % {"prev": year - 1})
    scores = {p.name: [s for r in ranked if (s := r.scores[p.code]) is not None] for p in pillars}
    means = {name: sum(v) / len(v) for name, v in scores.items() if v}
    if len(means) > 1:
        strong, weak = max(means, key=means.__getitem__), min(means, key=means.__getitem__)
        lines.append(_("Across the units the strongest pillar is %(strong)s (average %(s)s points) and the weakest %(weak)s (average %(w)s).") % {
            "strong": strong, "s": _score(means[strong]), "weak": weak, "w": _score(means[weak])})
    uncertain, _indices = selectors.uncertainty(run=run)
    if uncertain:
        loose = [u for u in uncertain if u.rank_p95 - u.rank_p5 >= 3]
        lines.append(_("Over %(runs)s Monte Carlo runs, %(n)d of %(all)d units could move three places or more with other reasonable choices of method.") % {
            "runs": run.uncertainty_setup.get("runs", ""), "n": len(loose), "all": len(uncertain)})
    return lines


def method_label(step: str, code: Any, params: dict[str, Any] | None = None) -> str:
    """A method's name in the reader's language, as it reads in a sentence of the method
    ("imputed by the mean of the other units", "min–max rescaling to 0–100"); an unknown code
    (a method added to the engine later) is shown as it is."""
    if not isinstance(code, str):  # weights given by hand as numbers
        return str(_("weights set in the framework"))
    labels: dict[str, dict[str, Any]] = {
        "impute": {
            "mean": _("the mean of the other units"), "median": _("the median of the other units"),
            "group_mean": _("the mean of the units of the same group"),
            "group_median": _("the median of the units of the same group"),
            "linear": _("linear interpolation between the unit's own years"),
            "last_value": _("the unit's last known value"),
        },
        "normalise": {
            "zscore": _("z-scores (distance from the mean in standard deviations)"), "rank": _("ranks"),
            "percentile_rank": _("percentile ranks"), "distance_to_best": _("distance to the best unit"),
            "distance_to_reference": _("distance to a reference unit"), "distance_to_target": _("distance to a target"),
            "goalposts": _("goalposts (fixed lower and upper bounds)"), "none": _("none (values used as they are)"),
        },
        "weights": {
            "equal": _("equal weights"), "manual": _("weights set in the framework"),
            "pca": _("weights from a principal component analysis"),
        },
        "aggregate": {
            "arithmetic": _("arithmetic means"), "geometric": _("geometric means"), "harmonic": _("harmonic means"),
            "generalised": _("generalised means"), "copeland": _("the Copeland rule (pairwise comparisons of units)"),
        },
    }
    if step == "normalise" and code == "minmax":
        params = params or {}
        return _("min–max rescaling to a %(low)s–%(high)s scale") % {
            "low": _number(params.get("low", 0)), "high": _number(params.get("high", 100))}
    return str(labels.get(step, {}).get(code, code))


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _method(run: Run, year: int) -> list[str]:
    """The method in words from the run's own snapshot: framework, steps, weights, data, imputation."""
    snapshot = run.framework_snapshot
    steps = {s.get("step"): s for s in (run.spec or {}).get("steps", [])}
    indicators = snapshot.get("indicators", [])
    pillars = [a for a in snapshot.get("aggregates", []) if a.get("level") == 2]
    lines = [_("Framework: %(indicators)d indicators in %(pillars)d pillars, built on the seven pillars of Vietnam's Provincial Innovation Index (PII).") % {
        "indicators": len(indicators), "pillars": len(pillars)}]
    if "impute" in steps:
        impute = steps["impute"].get("method", "")
        if impute == "none":
            lines.append(_("Missing values: not imputed; an indicator a unit has no figure for is left out of its means."))
        else:
            lines.append(_("Missing values: imputed by %(method)s; the unit pages say where a unit had no figure of its own.") % {
                "method": method_label("impute", impute)})
    if "treat" in steps:
        lines.append(_("Outliers: treated by the skewness and kurtosis rule (winsorising at most %(n)s values).") % {
            "n": steps["treat"].get("winmax", "")})
    if "normalise" in steps:
        lines.append(_("Normalisation: %(method)s; an indicator where less is better is reversed.") % {
            "method": method_label("normalise", steps["normalise"].get("method", ""), steps["normalise"])})
    if "aggregate" in steps:
        lines.append(_("Weights and aggregation: %(weights)s, %(method)s, indicators into pillars and pillars into the index.") % {
            "weights": method_label("weights", steps["aggregate"].get("weights", "")),
            "method": method_label("aggregate", steps["aggregate"].get("method", ""))})
    sources = sorted({i.get("source_note_en" if get_language() == "en" else "source_note") or "" for i in indicators} - {""})
    computed = sum(1 for i in indicators if i.get("source") == "computed")
    lines.append(ngettext(
        "Data: years %(first)d–%(last)d; %(computed)d indicator computed from the platform's records, the others from %(sources)s.",
        "Data: years %(first)d–%(last)d; %(computed)d indicators computed from the platform's records, the others from %(sources)s.",
        computed) % {
        "first": run.year_from, "last": run.year_to, "computed": computed, "sources": "; ".join(sources) or "—"})
    lines.append(_("Units: the wards and communes of the city as they are since 1 July 2025. Figures published before by district are converted through the official mapping: a count or amount is divided among the district's communes by their share of its former wards; a rate or score is the district's."))
    missing = Value.objects.filter(indicator__framework_id=run.framework_id, year=year).count()
    expected = len(indicators) * Unit.objects.filter(
        results__run=run, results__year=year).distinct().count()
    if expected:
        lines.append(_("Imputed in %(year)d: %(n)d of %(all)d values.") % {"year": year, "n": max(expected - missing, 0), "all": expected})
    return lines


def framework_pdf(*, run: Run, year: int) -> bytes:
    """The department's report: cover, summary of findings, method, ranking, one page per unit
    with its chart, strengths and weaknesses, the uncertainty, the indicators."""
    styles = _styles()
    width = landscape(A4)[0] - 3.2 * cm
    index, pillars = selectors.columns(run)
    rows = selectors.ranking(run=run, year=year)
    title = _("%(framework)s — report %(year)d") % {"framework": run.framework.display_name, "year": year}
    cover = ParagraphStyle("cover", parent=styles["title"], fontSize=24, leading=30, spaceAfter=14)
    story: list[Any] = [Spacer(1, 4 * cm), _para(run.framework.display_name, cover),
                        _para(_("Report %(year)d") % {"year": year}, styles["h2"]),
                        Spacer(1, 1 * cm), _para(AUTHOR, styles["body"]),
                        _para(format_date(timezone.localdate()), styles["body"])]
    if run.framework.display_description:
        story += [Spacer(1, 0.5 * cm), _para(run.framework.display_description, styles["body"])]
    story.append(PageBreak())
    story.append(_para(_("Summary"), styles["h2"]))
    story += [_para("• " + line, styles["body"]) for line in _summary(run, year, rows, index, pillars)]
    story.append(_para(_("Method"), styles["h2"]))
    story += [_para("• " + line, styles["body"]) for line in _method(run, year)]
    story.append(PageBreak())
    story.append(_para(_("Ranking in %(year)d") % {"year": year}, styles["h2"]))
    pillar_width = (width * 0.62) / max(len(pillars), 1)
    header = [_("Rank"), _("Unit"), index.name] + [p.name for p in pillars]
    body = [[_rank(r.ranks[index.code]), r.unit.display_name, _score(r.scores[index.code])]
            + [_score(r.scores[p.code]) for p in pillars] for r in rows]
    story.append(_table([header] + body, [width * 0.06, width * 0.2, width * 0.12] + [pillar_width] * len(pillars), styles))
    by_rank = [r for r in rows if r.scores[index.code] is not None]
    chart_title = _("%(index)s scores of the units in %(year)d (0–100)") % {"index": index.name, "year": year}
    story.append(KeepTogether([Spacer(1, 8), _para(chart_title, styles["h2"]),
                               _image(_framework_chart(run, year, by_rank, index), width * 0.55)]))
    for r in sorted(by_rank, key=lambda r: r.ranks[index.code] or 0):
        story.append(PageBreak())
        story += _unit_page(run, r.unit, year, styles, width)
    uncertain, indices = selectors.uncertainty(run=run)
    if uncertain:
        story.append(PageBreak())
        story.append(_para(_("Uncertainty of the ranking"), styles["h2"]))
        story.append(_para(
            _("Median rank and 5–95%% interval over %(runs)s Monte Carlo runs varying weights, imputation, "
              "normalisation and aggregation.") % {"runs": run.uncertainty_setup.get("runs", "")}, styles["body"]))
        story.append(_table(
            [[_("Unit"), _("Rank in the index"), _("Median rank"), _("5–95% interval")]]
            + [[u.unit.display_name, _rank(u.nominal_rank), _rank(u.median_rank),
                f"{_rank(u.rank_p5)}–{_rank(u.rank_p95)}"] for u in uncertain],
            [width * 0.4, width * 0.2, width * 0.2, width * 0.2], styles))
        if indices:
            story.append(_para(_("Sensitivity of the ranking to each choice"), styles["h2"]))
            labels = choice_labels()

            def interval(low: float | None, high: float | None) -> str:
                return f" ({_score(low)}–{_score(high)})" if low is not None and high is not None else ""

            story.append(_table(
                [[_("Choice"), _("First-order index (95% interval)"), _("Total index (95% interval)"), _("Reading")]]
                + [[labels.get(s.choice, s.choice), _score(s.first_order) + interval(s.first_low, s.first_high),
                    _score(s.total) + interval(s.total_low, s.total_high),
                    _("Too uncertain to read: more runs needed") if s.wide else _("Precise enough")] for s in indices],
                [width * 0.25, width * 0.25, width * 0.25, width * 0.25], styles))
            if indices[0].runs:
                story.append(_para(_("Estimated from %(runs)s runs of the model (%(base)s base samples, Saltelli design); intervals by bootstrap over the base samples. The true first-order index never exceeds the total one: where the estimates say otherwise, the difference is sampling error, flagged as too uncertain.") % {
                    "runs": indices[0].runs, "base": indices[0].base_runs}, styles["small"]))
    story.append(CondPageBreak(6 * cm))
    story.append(_para(_("Indicator list"), styles["h2"]))
    names = selectors.indicator_names(run)
    pillar_names = {p.code: p.name for p in pillars}
    story.append(_table(
        [[_("Code"), _("Indicator"), _("Pillar"), _("Unit of measure"), _("Source")]]
        + [[c, i["display_name"], pillar_names.get(i["parent"], i["parent"]), i["display_measure"],
            _("Computed from the platform's records") if i.get("source") == "computed" else (i["display_source_note"] or _("Imported statistics"))]
           for c, i in names.items()],
        [width * 0.08, width * 0.37, width * 0.2, width * 0.1, width * 0.25], styles))
    return _pdf(story, wide=True, title=title, subject=_("Ecosystem index"))


def _framework_chart(run: Run, year: int, by_rank: list[Any], index: Any) -> bytes:
    """The ranking's chart as PNG, drawn once per run, year and language (a cache hit afterwards)."""
    from django.core.cache import cache

    key = f"indicators:report-chart:{run.pk}:{year}:{get_language()}"
    png = cache.get(key)
    if png is None:
        png = charts.to_png(charts.bar_chart([r.unit.display_name for r in by_rank], [r.scores[index.code] for r in by_rank],
                                             xlabel=_("Score (0–100)")))
        cache.set(key, png, 24 * 3600)
    return png


def _unit_page(run: Run, unit: Unit, year: int, styles: dict[str, ParagraphStyle], width: float) -> list[Any]:
    """One unit's page of the report: index, pillar chart, strengths and weaknesses."""
    profile = selectors.unit_profile(run=run, unit=unit, year=year)
    parts: list[Any] = [_para(unit.display_name, styles["title"])]
    former = (unit.groups or {}).get("former_area")
    if former:
        parts.append(_para(_("Former area: %(area)s") % {"area": former}, styles["small"]))
    parts.append(_para(_("%(index)s: %(score)s points, rank %(rank)s of %(count)d.") % {
        "index": profile.index.name, "score": _score(profile.index_score), "rank": _rank(profile.index_rank),
        "count": profile.units_ranked}, styles["body"]))
    chart = charts.to_png(charts.bar_chart([p["name"] for p in profile.pillars], [p["score"] for p in profile.pillars],
                                           xlabel=_("Score (0–100)"), wrap=16))
    left = [_para(_("Pillar scores of %(unit)s in %(year)d") % {"unit": unit.display_name, "year": year}, styles["h2"]),
            _image(chart, width * 0.5)]
    right: list[Any] = []
    for heading, items, empty in ((_("Strengths"), profile.strengths, _("No indicator stands out.")),
                                  (_("Weaknesses"), profile.weaknesses, _("No indicator stands out."))):
        right.append(_para(heading, styles["h2"]))
        right += [_para(f"• {i['name']}: {_value(i)} — {_rank_words(i)}", styles["body"]) for i in items] or [_para(empty, styles["small"])]
    layout = Table([[left, right]], colWidths=[width * 0.55, width * 0.45])
    layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    parts.append(layout)
    return parts


def choice_labels() -> dict[str, str]:
    """The uncertainty analysis's choices by name, translated per request (pages and reports)."""
    return {"weights": _("Weights"), "imputation": _("Imputation method"),
            "normalisation": _("Normalisation method"), "aggregation": _("Aggregation method")}


def step_labels() -> dict[str, str]:
    """The pipeline's steps by code, translated per request (a run's trace)."""
    return {"denominate": _("Denomination"), "impute": _("Imputation of missing data"), "screen": _("Screening"),
            "treat": _("Treatment of outliers"), "normalise": _("Normalisation"), "aggregate": _("Aggregation")}


def _rounded(value: float | None, digits: int = 2) -> float | None:
    """A number of a sheet at full precision: its column's number format shows it rounded as the
    pages do (scores to 2 decimals), and a reader who recomputes keeps every digit."""
    return None if value is None else float(value)


ONE_DECIMAL = "0.0"


def _source_label(item: dict[str, Any]) -> str:
    source = item.get("source", Indicator.Source.IMPORTED)
    return str(Indicator.Source(source).label) if source in Indicator.Source.values else str(source)


def _direction_label(direction: Any) -> str:
    """An indicator's direction as a reader says it (the spreadsheet read 1 and -1)."""
    return _("Lower is better") if direction == -1 else _("Higher is better")


def _score_column(title: Any) -> Column:
    return Column(title, DECIMAL)


def framework_xlsx(*, run: Run, year: int) -> bytes:
    """The results as a workbook: the ranking (codes beside names), every score, the uncertainty,
    the sensitivity with its intervals, the indicators and the method. Numbers keep full precision;
    their formats show them rounded as the pages do; widths fit the content (core.tabular)."""
    index, pillars = selectors.columns(run)
    ranking_columns: list[Column | str | int] = [_("Rank"), _("Unit code"), _("Unit"), _score_column(index.name)]
    rows = selectors.ranking(run=run, year=year)
    sheets = [Sheet(
        _("Ranking"), ranking_columns + [_score_column(p.name) for p in pillars],
        [[r.ranks[index.code], r.unit.code, r.unit.display_name, _rounded(r.scores[index.code])]
         + [_rounded(r.scores[p.code]) for p in pillars] for r in rows],
    )]
    names = selectors.indicator_names(run)
    labels_by_code = {index.code: index.name, **{p.code: p.name for p in pillars},
                      **{c: i["display_name"] for c, i in names.items()}}
    sheets.append(Sheet(
        _("All scores"), [_("Year"), _("Unit code"), _("Unit"), _("Code"), _("Name"), _("Level"),
                          _score_column(_("Score")), _("Rank")],
        [[res.year, res.unit.code, res.unit.display_name, res.code, labels_by_code.get(res.code, res.code), res.level,
          res.score, res.rank] for res in selectors.result_list(run=run)],
    ))
    uncertain, indices = selectors.uncertainty(run=run)
    if uncertain:
        sheets.append(Sheet(
            _("Uncertainty"),
            [_("Unit code"), _("Unit"), _("Rank in the index"), Column(_("Median rank"), ONE_DECIMAL),
             Column(_("5th percentile"), ONE_DECIMAL), Column(_("95th percentile"), ONE_DECIMAL)],
            [[u.unit.code, u.unit.display_name, u.nominal_rank, _rounded(u.median_rank, 1), _rounded(u.rank_p5, 1),
              _rounded(u.rank_p95, 1)] for u in uncertain],
        ))
        labels = choice_labels()
        sheets.append(Sheet(
            _("Sensitivity"),
            [_("Choice"), _score_column(_("First-order index")), _score_column(_("From")), _score_column(_("To")),
             _score_column(_("Total index")), _score_column(_("From")), _score_column(_("To")), _("Runs"), _("Reading")],
            [[labels.get(s.choice, s.choice), s.first_order, s.first_low, s.first_high, s.total, s.total_low, s.total_high,
              s.runs, _("Too uncertain to read: more runs needed") if s.wide else _("Precise enough")] for s in indices],
        ))
    pillar_names = {p.code: p.name for p in pillars}
    sheets.append(Sheet(
        _("Indicator list"),
        [_("Code"), _("Indicator"), _("Pillar"), _("Unit of measure"), _("Direction"), _("Weight"), _("Source"), _("Source of the data")],
        [[code, i["display_name"], pillar_names.get(i["parent"], i["parent"]), i["display_measure"],
          _direction_label(i.get("direction", 1)), i.get("weight", 1.0), _source_label(i), i["display_source_note"]]
         for code, i in names.items()],
    ))
    sheets.append(Sheet(
        _("Method"), [Column(_("Method"), width=120)],
        [[line] for line in [*_method(run, year), "", *_summary(run, year, rows, index, pillars)]],
    ))
    return xlsx_bytes(sheets)


def unit_xlsx(*, run: Run, unit: Unit, year: int) -> bytes:
    profile = selectors.unit_profile(run=run, unit=unit, year=year)
    names = profile.names
    return xlsx_bytes([
        Sheet(
            _("Pillars"), [_("Code"), _("Pillar"), _score_column(_("Score")), _("Rank")],
            [[profile.index.code, profile.index.name, _rounded(profile.index_score), profile.index_rank]]
            + [[p["code"], p["name"], _rounded(p["score"]), p["rank"]] for p in profile.pillars],
        ),
        Sheet(
            _("Indicator list"),
            [_("Code"), _("Indicator"), _("Pillar"), _("Value"), _("Unit of measure"), _score_column(_("Score")), _("Rank")],
            [[i["code"], i["name"], i["pillar"], _rounded(i["value"]), i["measure"], _rounded(i["score"]), i["rank"]]
             for i in profile.indicators],
        ),
        Sheet(
            _("Trends"), [_("Code"), _("Name")] + [_score_column(y) for y in profile.years],
            [[code, names[code], *(_rounded(v) for v in values)] for code, values in profile.trend.items()],
        ),
    ])
