"""Given the charts of the pages and reports, when they are drawn at a phone's width, then their
legends lie wholly inside the image and outside the plot, so they neither cover data nor are cut."""

from __future__ import annotations

from innohub.indicators import charts

PILLARS = ["Innovation index", "Institutions", "Human capital and research", "Infrastructure",
           "Market development", "Business development", "Knowledge and technology outputs", "Impact"]
UNITS = ["District 1", "Thu Duc City", "District 3", "Go Vap District", "Nha Be District", "Cu Chi District"]


def assert_legend_clear(figure) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)  # as savefig draws a PNG
    canvas.draw()
    renderer = canvas.get_renderer()
    legends = figure.legends or [ax.get_legend() for ax in figure.axes if ax.get_legend()]
    (legend,) = legends
    box = legend.get_window_extent(renderer)
    image = figure.bbox
    assert image.x0 <= box.x0 and box.x1 <= image.x1 and image.y0 <= box.y0 and box.y1 <= image.y1
    for ax in figure.axes:
        assert not box.overlaps(ax.get_window_extent(renderer)), "the legend lies on the plot"
        assert box.y1 <= ax.get_tightbbox(renderer).y0 + 1, "the legend covers the axis labels"


def test_the_trend_legend_fits_the_width_of_a_phone_chart_under_the_plot():
    figure = charts.line_chart([2021, 2022, 2023], {name: [40.0, 50.0, 60.0] for name in PILLARS},
                               ylabel="Score (0–100)", width=charts.PAGE_WIDTH)
    assert_legend_clear(figure)
    texts = [t.get_text().replace("\n", " ") for t in figure.legends[0].get_texts()]
    assert texts == PILLARS


def test_the_rank_interval_legend_is_under_the_plot_not_on_the_last_units_markers():
    n = len(UNITS)
    figure = charts.interval_chart(UNITS, [i + 1 for i in range(n)], [max(1, i) for i in range(n)],
                                   [min(n, i + 2) for i in range(n)], [i + 1 for i in range(n)], xlabel="Rank",
                                   median_label="Median rank", nominal_label="Rank in the index",
                                   width=charts.PAGE_WIDTH)
    assert_legend_clear(figure)


def test_a_cached_page_chart_is_drawn_again_when_the_charts_version_changes(client, finished_run, monkeypatch):
    from django.core.cache import cache
    from django.urls import reverse

    from innohub.indicators import charts

    cache.clear()
    drawn: list[str] = []
    to_svg = charts.to_svg
    monkeypatch.setattr(charts, "to_svg", lambda figure, **kw: drawn.append("svg") or to_svg(figure, **kw))
    url = reverse("indicators:home")
    first = client.get(url).content.decode()
    assert len(drawn) == 1 and "<svg" in first
    client.get(url)
    assert len(drawn) == 1  # the same version: served from the cache
    monkeypatch.setattr(charts, "CHARTS_VERSION", charts.CHARTS_VERSION + 1)
    assert "<svg" in client.get(url).content.decode()
    assert len(drawn) == 2  # a new version misses the cache and draws again
    monkeypatch.setattr(charts, "_DRAWING_HASH", "changed")
    client.get(url)
    assert len(drawn) == 3  # so does a change to the chart module or matplotlib


def test_a_page_chart_has_no_style_attribute_or_element_for_the_content_security_policy_to_block():
    figure = charts.line_chart([2021, 2022, 2023], {name: [40.0, 50.0, 60.0] for name in PILLARS},
                               ylabel="Score (0–100)", width=charts.PAGE_WIDTH)
    svg = charts.to_svg(figure, label="Trend")
    assert "style=" not in svg and "<style" not in svg
    assert 'fill="#' in svg and 'font-size="' in svg and 'stroke-linejoin="round"' in svg
