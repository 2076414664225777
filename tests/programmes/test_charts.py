"""The column charts' geometry, and their markup written in Python as the template wrote it."""

from django.template import Context, Template

from programmes.charts import HEIGHT, Series, most, stacked_columns

# What `_partials/chart.html` looped over before the chart wrote these parts itself.
LOOPS = (
    '{% for r in chart.rects %}<rect class="tone-{{ r.tone }}" x="{{ r.x }}" y="{{ r.y }}" '
    'width="{{ r.width }}" height="{{ r.height }}"><title>{{ r.title }}</title></rect>{% endfor %}'
    "|"
    '{% for label, values in chart.table %}<tr><th scope="row">{{ label }}</th>'
    "{% for v in values %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}"
)
LOCALISED = Template(LOOPS)
NOT_LOCALISED = Template("{% load l10n %}{% localize off %}" + LOOPS + "{% endlocalize %}")
PYTHON = Template("{{ chart.rects_svg }}|{{ chart.table_rows }}")


def _chart():
    return stacked_columns(
        ["w/c 7 Sep", "This <week>"],
        [Series("Research & more", [3, 1250], 0), Series('Say "hi"', [0, 7], 9)],
    )


def test_columns_stack_each_series_on_the_last_scaled_to_the_tallest():
    chart = _chart()
    assert chart.peak == 1257
    assert [(r.tone, r.title) for r in chart.rects] == [
        (0, "w/c 7 Sep: Research & more 3"),
        (0, "This <week>: Research & more 1250"),
        (1, 'This <week>: Say "hi" 7'),  # tones wrap round the palette; a zero draws nothing
    ]
    top, below = chart.rects[2], chart.rects[1]
    assert top.y == 0 and round(below.y - top.y, 3) == top.height
    assert chart.table == [("w/c 7 Sep", [3, 0]), ("This <week>", [1250, 7])]
    assert round(below.height + top.height, 3) == HEIGHT


def test_the_markup_written_in_python_is_what_the_template_loops_wrote():
    chart = _chart()
    for loops in (LOCALISED, NOT_LOCALISED):
        assert PYTHON.render(Context({"chart": chart})) == loops.render(Context({"chart": chart}))
    assert "This &lt;week&gt;: Say &quot;hi&quot; 7" in str(chart.rects_svg)


def test_an_empty_chart_draws_no_rectangles_and_no_rows():
    chart = stacked_columns([], [])
    assert chart.empty and str(chart.rects_svg) == "" and str(chart.table_rows) == ""


def test_the_most_names_every_step_tied_for_it():
    assert most([("Research", 5), ("Playbook", 2)]) == ("5", "Research")
    assert most([("Research", 2), ("Playbook", 2)]) == ("2 each", "Research and Playbook")
    assert most([("A", 1), ("B", 1), ("C", 1), ("D", 0)]) == ("1 each", "A, B and C")
