"""What every PDF of the project shares: fonts per role of text, paragraph styles, page numbers,
the draft watermark and the parts of a Chinese official document (GB/T 9704-2012).

Fonts: one place chooses a face per role of text — ``title`` (小标宋-like: a Song/Ming face),
``body`` (仿宋-like: a Kai face) and ``heading`` (黑体) — from the ``PDF_FONT_TITLE``,
``PDF_FONT_BODY`` and ``PDF_FONT_HEADING`` settings (a path to a TrueType font, or ``cid``), then
``PDF_FONT`` for every role, then the free CJK TrueType faces Debian ships (fonts-arphic-uming,
fonts-arphic-ukai, fonts-wqy-zenhei). TrueType fonts are embedded, so any reader shows them;
where none is found, reportlab's built-in STSong-Light CID font is used (not embedded; readers
in China have it). Each font file is registered once per process.
"""

import hashlib
import io
import re
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

FALLBACK_FONT = "STSong-Light"
ARPHIC = "/usr/share/fonts/truetype/arphic"
WQY = "/usr/share/fonts/truetype/wqy"
HEI = [f"{WQY}/wqy-zenhei.ttc", f"{WQY}/wqy-microhei.ttc", "C:/Windows/Fonts/simhei.ttf"]
SONG = [f"{ARPHIC}/uming.ttc", "C:/Windows/Fonts/simsun.ttc"]
KAI = [f"{ARPHIC}/ukai.ttc", "C:/Windows/Fonts/simfang.ttf", "C:/Windows/Fonts/simkai.ttf"]
DROID = ["/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"]
# Candidates per role of text, best first; every role falls back to any CJK face there is.
FONT_CANDIDATES = {
    "title": SONG + HEI + KAI + DROID,
    "body": KAI + SONG + HEI + DROID,
    "heading": HEI + SONG + KAI + DROID,
}
SETTING_OF_ROLE = {
    "title": "PDF_FONT_TITLE",
    "body": "PDF_FONT_BODY",
    "heading": "PDF_FONT_HEADING",
}

RED = colors.HexColor("#e60012")  # the masthead's and separator's red
PT_SAN_HAO = 16  # 三号: the body of an official document
PT_ER_HAO = 22  # 二号: its title
PT_SI_HAO = 14  # 四号: 版记 and page numbers


@cache
def _registered(path):
    """The registered name of the TrueType font at `path`, or None if reportlab cannot use it."""
    if not path or path.lower() == "cid" or not Path(path).is_file():
        return None
    name = "CJK-" + hashlib.sha256(path.encode()).hexdigest()[:12]
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except Exception:
        return None
    return name


@lru_cache(maxsize=1)
def _fallback():
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def font(role="body"):
    """The registered font name for a role of text: ``title``, ``body`` or ``heading``."""
    configured = getattr(settings, SETTING_OF_ROLE[role], "") or getattr(settings, "PDF_FONT", "")
    candidates = [configured] if configured else FONT_CANDIDATES[role]
    for path in candidates:
        name = _registered(path)
        if name:
            return name
    return _fallback()


def cjk_font():
    """The body font: what tables and plain text use."""
    return font("body")


def styles():
    body = font("body")
    base = ParagraphStyle("body", fontName=body, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontName=font("title"), fontSize=18, leading=26, alignment=1
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, alignment=1),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=font("heading"), fontSize=12, leading=18
        ),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13),
        "head": ParagraphStyle(
            "head", parent=base, fontName=font("heading"), fontSize=10, leading=13, alignment=1
        ),
    }


def official_styles():
    """GB/T 9704-2012: title 二号小标宋, body 三号仿宋 with 2 characters' indent, 黑体 headings."""
    body = ParagraphStyle(
        "official-body",
        fontName=font("body"),
        fontSize=PT_SAN_HAO,
        leading=28.9,  # 22 lines in the 225 mm type area
        wordWrap="CJK",
        firstLineIndent=2 * PT_SAN_HAO,
    )
    return {
        "title": ParagraphStyle(
            "official-title",
            parent=body,
            fontName=font("title"),
            fontSize=PT_ER_HAO,
            leading=34,
            alignment=1,
            firstLineIndent=0,
        ),
        "body": body,
        "flush": ParagraphStyle("official-flush", parent=body, firstLineIndent=0),
        "heading": ParagraphStyle("official-heading", parent=body, fontName=font("heading")),
        "number": ParagraphStyle("official-number", parent=body, firstLineIndent=0, alignment=1),
        "signature": ParagraphStyle(
            "official-signature", parent=body, firstLineIndent=0, alignment=2
        ),
        "cell": ParagraphStyle(
            "official-cell", parent=body, fontSize=12, leading=16, firstLineIndent=0
        ),
        "head": ParagraphStyle(
            "official-head",
            parent=body,
            fontName=font("heading"),
            fontSize=12,
            leading=16,
            firstLineIndent=0,
            alignment=1,
        ),
    }


# GB/T 15834 标点符号用法: these never begin a line, these never end one.
NO_LINE_START = "，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}"
NO_LINE_END = "（《「『【〔〈“‘([{"
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'-]*|\s|.", re.DOTALL)


def break_lines(text, font_name, size, width, first_indent=0):
    """Lines of `text` that fit `width`, breaking between Chinese characters or at spaces,
    never starting a line with closing punctuation nor ending one with opening punctuation."""
    lines = []
    available = width - first_indent
    for hard_line in str(text).split("\n"):
        line, used = [], 0
        for token in TOKEN.findall(hard_line):
            token_width = pdfmetrics.stringWidth(token, font_name, size)
            if line and used + token_width > available and not token.isspace():
                carried = []
                if token[0] in NO_LINE_START or line[-1][-1:] in NO_LINE_END:
                    # carry characters over until the break falls where it may ("训），")
                    while len(line) > 1:
                        carried.insert(0, line.pop())
                        if carried[0][0] not in NO_LINE_START and line[-1][-1:] not in NO_LINE_END:
                            break
                lines.append("".join(line).rstrip())
                line = carried
                used = sum(pdfmetrics.stringWidth(t, font_name, size) for t in line)
                available = width
            if token.isspace() and not line:
                continue
            line.append(token)
            used += token_width
        lines.append("".join(line).rstrip())
        available = width
    return lines


def _unwrapped(style):
    """`style` for lines already broken: no CJK wrapping (remembered on the style)."""
    if getattr(style, "_unwrapped", None) is None:
        style._unwrapped = style.clone(f"{style.name}-broken", wordWrap=None)
    return style._unwrapped


def _continued(style):
    """`style` for the rest of a paragraph split over pages: no first-line indent."""
    if not style.firstLineIndent:
        return style
    if getattr(style, "_continued", None) is None:
        style._continued = style.clone(f"{style.name}-continued", firstLineIndent=0)
    return style._continued


class ChineseParagraph(Paragraph):
    """A paragraph of plain text whose lines are broken by `break_lines`, so that no line
    starts with "；" or "，" (reportlab's CJK wrapping only knows Japanese rules).

    The lines are broken once per width and kept: wrapping is their count times the leading,
    splitting over a page cuts the list, and only drawing typesets them (as a reportlab
    Paragraph without CJK wrapping, one piece at a time). reportlab's own CJK wrapping, asked
    again by a table for every page of a long cell, grew with the square of the text's length:
    a 20,000 character note took minutes."""

    def __init__(self, text, style, lines=None):
        self.plain = str(text)
        self._known = lines  # (width, lines)
        super().__init__(escape(self.plain), style)

    def _lines(self, available_width):
        style = self.style
        width = available_width - style.leftIndent - style.rightIndent
        if self._known is None or self._known[0] != width:
            lines = break_lines(
                self.plain, style.fontName, style.fontSize, width, style.firstLineIndent
            )
            self._known = (width, lines)
        return self._known[1]

    def wrap(self, available_width, available_height):
        self._available_width = available_width
        self.width = available_width
        self.height = len(self._lines(available_width)) * self.style.leading
        return self.width, self.height

    def split(self, available_width, available_height):
        # a table splits a cell at the column's width but laid it out (wrap) within its
        # padding: split the lines that were laid out
        available_width = getattr(self, "_available_width", available_width)
        lines = self._lines(available_width)
        if len(lines) * self.style.leading <= available_height:
            return [self]
        fit = min(int(available_height // self.style.leading), len(lines) - 1)
        if fit <= 0:
            return []
        width = self._known[0]
        pieces = [
            ChineseParagraph("\n".join(lines[:fit]), self.style, (width, lines[:fit])),
            ChineseParagraph("\n".join(lines[fit:]), _continued(self.style), (width, lines[fit:])),
        ]
        for piece in pieces:
            piece.wrap(available_width, available_height)
        return pieces

    def _typeset(self):
        lines = self._lines(self._available_width)
        typeset = Paragraph("<br/>".join(escape(line) for line in lines), _unwrapped(self.style))
        typeset.wrap(self._available_width, 10**6)
        return typeset

    def draw(self):
        typeset = self._typeset()
        typeset.canv = self.canv
        typeset.draw()
        del typeset.canv

    def drawOn(self, canvas, x, y, _sW=0):
        self._typeset().drawOn(canvas, x, y, _sW)


def para(text, style):
    """A Paragraph of user text: escaped, so '<' or '&' in a name cannot break the document,
    and broken into lines as Chinese typesetting does."""
    return ChineseParagraph(text, style)


def long_date(value):
    """A date as the user's language writes it: 2026年11月27日 in Chinese, ISO in English."""
    return formats.date_format(value, "DATE_FORMAT")


class PagedCanvas(canvas.Canvas):
    """Page numbers (and a draft watermark) drawn on every page once the total is known.

    ``numbering`` "count" writes "第 x 页 共 y 页" centred; "official" writes "— x —" in 四号,
    odd pages on the right and even pages on the left, one character in (GB/T 9704 7.5).
    """

    numbering = "count"
    watermark = ""

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
            if self.watermark:
                self._draw_watermark()
            self._draw_number(total)
            super().showPage()
        super().save()

    def _draw_number(self, total):
        width = self._pagesize[0]
        if self.numbering == "official":
            self.setFont(font("body"), PT_SI_HAO)
            text = f"— {self._pageNumber} —"
            if self._pageNumber % 2:
                self.drawRightString(width - 26 * mm - PT_SI_HAO, 20 * mm, text)
            else:
                self.drawString(28 * mm + PT_SI_HAO, 20 * mm, text)
            return
        self.setFont(font("body"), 9)
        text = _("Page %(page)d of %(total)d") % {"page": self._pageNumber, "total": total}
        self.drawCentredString(width / 2, 10 * mm, text)

    def _draw_watermark(self):
        width, height = self._pagesize
        self.saveState()
        self.setFillColor(colors.HexColor("#c8c8c8"))
        self.setFillAlpha(0.45)
        self.setFont(font("heading"), 120)
        self.translate(width / 2, height / 2)
        self.rotate(45)
        self.drawCentredString(0, -40, self.watermark)
        self.restoreState()


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


# GB/T 9704-2012 5.2.2: A4, top margin 37 mm, binding side 28 mm, a 156 × 225 mm type area.
OFFICIAL_MARGINS = {
    "leftMargin": 28 * mm,
    "rightMargin": 26 * mm,
    "topMargin": 37 * mm,
    "bottomMargin": 35 * mm,
}
PLAIN_MARGINS = {
    "leftMargin": 15 * mm,
    "rightMargin": 15 * mm,
    "topMargin": 15 * mm,
    "bottomMargin": 18 * mm,
}


def build_pdf(title, flowables, pagesize=A4, *, official=False, watermark=""):
    """A flowing document; returns bytes.

    Plain documents have narrow margins and "第 x 页 共 y 页"; ``official`` ones the margins
    and "— x —" page numbers of GB/T 9704. ``watermark`` prints a diagonal word on every page
    (草稿 on drafts).
    """
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        **(OFFICIAL_MARGINS if official else PLAIN_MARGINS),
    )
    canvas_class = type(
        "DocumentCanvas",
        (PagedCanvas,),
        {"numbering": "official" if official else "count", "watermark": watermark},
    )
    document.build(flowables, canvasmaker=canvas_class)
    return buffer.getvalue()


class Masthead(Flowable):
    """版头: the issuing office's name in red, centred and sized to the type area, the
    document number under it, and the red separator line (GB/T 9704 7.2)."""

    def __init__(self, office, number=""):
        super().__init__()
        self.office = office
        self.number = number

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.size = min(
            36, available_width / max(pdfmetrics.stringWidth(self.office, font("title"), 1), 1)
        )
        self.height = self.size + 18 * mm
        return self.width, self.height

    def draw(self):
        pdf = self.canv
        pdf.saveState()
        pdf.setFillColor(RED)
        pdf.setFont(font("title"), self.size)
        pdf.drawCentredString(self.width / 2, self.height - self.size, self.office)
        pdf.setFillColor(colors.black)
        if self.number:
            pdf.setFont(font("body"), PT_SAN_HAO)
            pdf.drawCentredString(self.width / 2, 6 * mm, self.number)
        pdf.setStrokeColor(RED)
        pdf.setLineWidth(1.2)
        pdf.line(0, 2 * mm, self.width, 2 * mm)
        pdf.restoreState()


class ImprintBlock(Flowable):
    """版记 at the foot of the last page: 抄送, then 印发机关 and 印发日期, between rules
    (GB/T 9704 7.4): the first and last rules thick, the one between them thin."""

    row = 9 * mm

    def __init__(self, copy_to, office, date_text):
        super().__init__()
        self.copy_to = copy_to
        self.office = office
        self.date_text = date_text

    def _block_height(self):
        return self.row * (2 if self.copy_to else 1)

    def wrap(self, available_width, available_height):
        self.width = available_width
        # take the rest of the page so the block sits on its foot; a new page if it does not fit
        self.height = max(self._block_height(), available_height - 0.5)
        return self.width, self.height

    def draw(self):
        pdf = self.canv
        pdf.saveState()
        face = font("body")
        y = self._block_height()
        pdf.setLineWidth(0.8)
        pdf.line(0, y, self.width, y)
        pdf.setFont(face, PT_SI_HAO)
        if self.copy_to:
            y -= self.row
            pdf.drawString(PT_SI_HAO, y + 3 * mm, _("Copy to: %(to)s.") % {"to": self.copy_to})
            pdf.setLineWidth(0.4)
            pdf.line(0, y, self.width, y)
        pdf.drawString(PT_SI_HAO, 3 * mm, self.office)
        pdf.drawRightString(
            self.width - PT_SI_HAO, 3 * mm, _("Printed on %(date)s") % {"date": self.date_text}
        )
        pdf.setLineWidth(0.8)
        pdf.line(0, 0, self.width, 0)
        pdf.restoreState()


def signature_block(office, date_text, style, seal_lines=2):
    """落款: room for the seal, the issuing office and the date, right-aligned four characters
    in (GB/T 9704 7.3.5.1)."""
    indent = style.clone("signature-indent", rightIndent=4 * style.fontSize)
    return [
        Spacer(1, seal_lines * style.leading),
        para(office, indent),
        para(date_text, indent),
    ]
