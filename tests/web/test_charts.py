"""The server-drawn SVG charts: well-formed, accessible, every label escaped, no style=."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from server.editor.charts import Series, bar_chart, line_chart, percent

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onload="x'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    for element in root.iter():
        assert element.tag not in (f"{NS}script", f"{NS}style", f"{NS}foreignObject")
        assert not [name for name in element.attrib if name == "style" or name.startswith("on")]
    return root


def test_a_line_chart_has_an_accessible_name_axes_and_a_title_per_point():
    svg = line_chart(["2026-11-01", "2026-11-02", "2026-11-03"], [Series("Overall", [0.5, None, 0.75])],
                     title="Trust over time", desc="Share of verified cards per day.", chart_id="trust")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "trust-title trust-desc"
    assert root.find(f"{NS}title").text == "Trust over time"
    assert root.find(f"{NS}desc").text == "Share of verified cards per day."
    points = root.findall(f".//{NS}circle")
    assert [p.find(f"{NS}title").text for p in points] == ["2026-11-01 · Overall: 50%", "2026-11-03 · Overall: 75%"]
    assert len(root.findall(f".//{NS}polyline")) == 2  # a day without data breaks the line
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert {"0%", "50%", "100%", "2026-11-01", "2026-11-03"} <= set(labels)


def test_higher_values_are_drawn_higher_and_values_are_clamped():
    root = parse(line_chart(["a", "b", "c"], [Series("s", [0.0, 1.0, 7.0])], title="t", desc="d"))
    ys = [float(c.get("cy")) for c in root.iter(f"{NS}circle")]
    assert ys[0] > ys[1] and ys[1] == ys[2]


def test_hostile_labels_and_names_are_text():
    svg = line_chart([HOSTILE, "b"], [Series(HOSTILE, [0.1, 0.2]), Series("Two", [0.3, 0.4])],
                     title=HOSTILE, desc=HOSTILE, chart_id="c")
    root = parse(svg)
    assert root.find(f"{NS}title").text == HOSTILE
    assert any(HOSTILE in (t.text or "") for t in root.iter(f"{NS}title"))
    bars = parse(bar_chart([(HOSTILE, 0.5)], title=HOSTILE, desc=HOSTILE))
    assert bars.find(f".//{NS}g/{NS}title").text == f"{HOSTILE}: 50%"


def test_many_days_print_a_few_x_labels_including_the_first_and_last():
    days = [f"11-{d:02d}" for d in range(1, 91)]
    root = parse(line_chart(days, [Series("Overall", [0.5] * 90)], title="t", desc="d"))
    printed = [t.text for t in root.iter(f"{NS}text") if t.text and t.text.startswith("11-")]
    assert printed[0] == "11-01" and printed[-1] == "11-90" and len(printed) <= 7
    assert len(root.findall(f".//{NS}circle")) == 90


def test_no_data_says_so():
    root = parse(line_chart([], [], title="t", desc="d", empty="No snapshots yet."))
    assert "No snapshots yet." in [t.text for t in root.iter(f"{NS}text")]
    root = parse(line_chart(["a"], [Series("s", [None])], title="t", desc="d"))
    assert root.find(f".//{NS}circle") is None
    assert parse(bar_chart([], title="t", desc="d")).find(f".//{NS}rect") is None


def test_a_single_day_is_a_point_in_the_middle():
    root = parse(line_chart(["today"], [Series("Overall", [0.4])], title="t", desc="d", width=400))
    assert float(root.find(f".//{NS}circle").get("cx")) == (48 + 384) / 2


def test_bar_chart_bars_are_proportional_and_long_labels_shortened():
    long_name = "A collection with a really very long name indeed"
    root = parse(bar_chart([("Policies", 1.0), (long_name, 0.25), ("Empty", None)], title="t", desc="d"))
    groups = root.findall(f"{NS}g")
    assert [g.find(f"{NS}title").text for g in groups] == ["Policies: 100%", f"{long_name}: 25%", "Empty: no cards"]
    widths = [float(g.findall(f"{NS}rect")[1].get("width")) for g in groups[:2]]
    assert widths[0] == 4 * widths[1]
    assert len(groups[2].findall(f"{NS}rect")) == 1  # only the track: no cards, no bar
    assert groups[1].find(f"{NS}text").text.endswith("…")


def test_percent():
    assert percent(0.8234) == "82%" and percent(0) == "0%" and percent(1) == "100%"
