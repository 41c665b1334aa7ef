"""The annual report for the council: the year's figures, charts and a short explanation of each, as a PDF in Dutch.

Built from the same tables as the dashboard (``tables.py``), so the small
counts are hidden here exactly as there.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from woonzeker.formatting import long_date
from woonzeker.monitoring import figures
from woonzeker.monitoring.periods import parse_period
from woonzeker.monitoring.suppression import shown, shown_share
from woonzeker.monitoring.tables import dashboard_tables

BLUE = (21, 66, 115)


def _latin(text):
    """The PDF's built-in font knows Latin-1 only: spell the few other characters out."""
    text = str(text).replace("–", "-").replace("—", "-").replace("€", "EUR").replace("’", "'")
    return text.encode("latin-1", "replace").decode("latin-1")


def explanations(selection, today):
    """One plain sentence per figure, written from the numbers (as shown, small counts hidden)."""
    covenant, period = selection.covenant, selection.period
    funnel = figures.funnel(selection)
    promises = figures.promises(selection, today)
    evictions = figures.evictions(selection)
    referred = funnel["referred_by_corporation"] + funnel["referred_by_safe_home"]
    texts = {
        "funnel": _(
            "In %(period)s the corporations established %(signals)s signals of rent arrears; %(resolved)s were "
            "resolved before a referral. %(referred)s households were referred to a social team "
            "(%(safe_home)s by Veilig Thuis), and %(trajectories)s care trajectories started."
        )
        % {
            "period": period.label,
            "signals": shown(funnel["signals"], covenant),
            "resolved": shown(funnel["resolved"], covenant),
            "referred": shown(referred, covenant),
            "safe_home": shown(funnel["referred_by_safe_home"], covenant),
            "trajectories": shown(funnel["trajectories"], covenant),
        },
        "promises": _(
            "%(referral)s of the referrals were made within six weeks of the arrears being established, and "
            "%(analysis)s of the analyses were fed back within two weeks. Open and overdue now: %(overdue)s."
        )
        % {
            "referral": shown_share(promises["referral"]["on_time"], promises["referral"]["total"], covenant),
            "analysis": shown_share(promises["analysis"]["on_time"], promises["analysis"]["total"], covenant),
            "overdue": shown(promises["overdue_referrals"] + promises["overdue_analyses"], covenant),
        },
        "evictions": _("Evictions recorded in the years of the covenant, beside the baselines of %(baselines)s.")
        % {"baselines": ", ".join(f"{n} ({year})" for year, n in evictions["baselines"]) or "-"},
        "outcomes": _("How the cases closed in %(period)s ended.") % {"period": period.label},
        "condition": _("The corporations' condition for a care trajectory is that the current rent is paid."),
    }
    return texts


def council_report_pdf(covenant, year, scope=None, today=None, compress=True):
    """The report for ``year``; ``scope`` narrows it to a municipality, corporation or team (see ``Selection``)."""
    today = today or timezone.localdate()
    with translation.override("nl"):
        selection = figures.Selection(covenant, parse_period(str(year), covenant, today), **(scope or {}))
        tables = [t for t in dashboard_tables(selection, today) if not t.key.startswith("by_")]
        texts = explanations(selection, today)
        pdf = FPDF(format="A4")
        pdf.set_compression(compress)
        pdf.set_title(_latin(_("Council report %(year)s") % {"year": year}))
        pdf.set_author("Woonzeker")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font("helvetica", "B", 18)
        pdf.set_text_color(*BLUE)
        title = _("Preventing evictions in %(region)s: %(year)s") % {"region": covenant.region, "year": year}
        pdf.multi_cell(0, 9, new_x="LMARGIN", new_y="NEXT", text=_latin(title))
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("helvetica", "", 10)
        introduction = _(
            "%(covenant)s. Report for the council, made on %(date)s. "
            "Figures only: counts below %(n)s are shown as <%(n)s."
        ) % {"covenant": covenant.name, "date": long_date(today), "n": covenant.small_count_threshold}
        pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=_latin(introduction))
        for table in tables:
            _section(pdf, table, texts.get(table.key, ""))
        return bytes(pdf.output())


#: The width of the label column, in millimetres of the 190 between the margins; the figures share the rest.
LABEL_WIDTH = 70
PAGE_WIDTH = 190


def _section(pdf, table, text):
    """One heading, its explanation, and the table, every cell wrapped (never cut off).

    The dashboard's chart is left out here: its bars carry the same labels and counts as the table, and the
    PDF printed every label twice."""
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 13)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 7, new_x="LMARGIN", new_y="NEXT", text=_latin(table.title))
    pdf.set_text_color(0, 0, 0)
    if text:
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=_latin(text))
        pdf.ln(2)
    figures_count = max(1, len(table.headers) - 1)
    widths = (LABEL_WIDTH, *[(PAGE_WIDTH - LABEL_WIDTH) / figures_count] * figures_count)
    pdf.set_font("helvetica", "", 9)
    with pdf.table(
        col_widths=widths,
        width=PAGE_WIDTH,
        line_height=5,
        text_align=("LEFT", *["RIGHT"] * figures_count),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 244)),
        repeat_headings=1,
    ) as pdf_table:
        for cells in [table.headers, *table.rows]:
            row = pdf_table.row()
            for cell in cells:
                row.cell(_latin(cell))
    if table.note:
        pdf.set_font("helvetica", "I", 9)
        pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=_latin(table.note))
