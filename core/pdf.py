"""What every PDF of the project shares: a Chinese font, paragraph styles, page numbers.

The font is a CJK TrueType font found on the system (embedded, so any reader shows it), or,
where there is none, reportlab's built-in STSong-Light CID font (not embedded; readers in China
have it). Fonts are registered once per process.
"""

import io
import os
from functools import lru_cache
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

FALLBACK_FONT = "STSong-Light"
TRUETYPE_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/simhei.ttf",
]


@lru_cache(maxsize=1)
def cjk_font():
    """The registered font name to use for Chinese text."""
    configured = os.environ.get("PDF_FONT")
    candidates = [configured] if configured else TRUETYPE_CANDIDATES
    for path in candidates:
        if path and os.path.exists(path) and path.lower() != "cid":
            try:
                pdfmetrics.registerFont(TTFont("CJK", path, subfontIndex=0))
            except Exception:  # noqa: S112 - a font reportlab cannot read: try the next
                continue
            return "CJK"
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def styles():
    font = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, alignment=1),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13),
        "head": ParagraphStyle("head", parent=base, fontSize=10, leading=13, alignment=1),
    }


def para(text, style):
    """A Paragraph of user text: escaped, so '<' or '&' in a name cannot break the document."""
    return Paragraph(escape(str(text)), style)


class NumberedCanvas(canvas.Canvas):
    """Writes "第 x 页 共 y 页" at the foot of every page once the total is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages = []

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self.setFont(cjk_font(), 9)
            text = _("Page %(page)d of %(total)d") % {"page": self._pageNumber, "total": total}
            self.drawCentredString(self._pagesize[0] / 2, 10 * 2.8346, text)
            super().showPage()
        super().save()


def grid_style(header_rows=1):
    """The project's table look: a grid, the header rows shaded, Chinese text."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e9ecef")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )


def build_pdf(title, flowables, pagesize=A4):
    """A flowing document with the project's margins and "第 x 页 共 y 页"; returns bytes."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
    )
    document.build(flowables, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
