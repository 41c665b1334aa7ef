from django import template

register = template.Library()

ROW = 30
LABEL_WIDTH = 240
BAR_WIDTH = 260


@register.inclusion_tag("monitoring/_chart.html")
def chart(table):
    """A horizontal bar chart of ``table.chart``; hidden counts draw no bar, only their "<5"."""
    largest = max((value for _label, value, _text in table.chart if value), default=0) or 1
    bars = []
    for index, (label, value, text) in enumerate(table.chart):
        width = round(BAR_WIDTH * value / largest) if value else 0
        bars.append({"y": index * ROW, "label": label, "width": width, "text": text, "text_x": LABEL_WIDTH + width + 6})
    return {
        "table": table,
        "bars": bars,
        "height": len(bars) * ROW,
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
        "label_width": LABEL_WIDTH,
    }


@register.filter
def index(sequence, position):
    return sequence[position]
