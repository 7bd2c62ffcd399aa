"""A small, fast writer of .xlsx files: sheets of rows with a bold frozen header, column
widths, an autofilter, percentages, formulas and conditional fills.

openpyxl (which reads staffplan's Excel input) spends about 12 s writing the final roster
of 100,000 officers; this writer streams the same sheet's XML in about a second. It writes
only what plan.xlsx needs, and the same rows give the same bytes (fixed timestamps).
Tests read its files back with openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

RED, GREEN = "FFFFC7CE", "FFC6EFCE"
_DXF = {"red": 0, "green": 1}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]')
_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_STAMP = (1980, 1, 1, 0, 0, 0)


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    percent: tuple[int, ...] = ()  # 1-based columns shown as 0.0%
    # (cell range, formula for its first cell, "red" | "green")
    conditional: list[tuple[str, str, str]] = field(default_factory=list)
    extra: list[list] = field(default_factory=list)  # rows after a blank line, no formats


def column(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _width(value) -> int:
    """Characters a value shows as: Chinese counts double; a formula shows its short result."""
    text = str(value)
    if text.startswith("="):
        return 4
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


def _text(value) -> str:
    text = str(value)
    if _SPECIAL.search(text) is None:  # the usual case: nothing to escape
        return text
    return _ILLEGAL.sub("", text).translate(_ESC)


def _cell(ref: str, value, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    text = str(value)
    if text.startswith("="):
        return f'<c r="{ref}" t="str"{s}><f>{_text(text[1:])}</f></c>'
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{_text(text)}</t></is></c>'


def _sheet_xml(sheet: Sheet) -> str:
    n_cols = max([len(sheet.headers)] + [len(r) for r in sheet.rows[:1]] or [1])
    letters = [column(i) for i in range(1, max(n_cols, max((len(r) for r in sheet.extra), default=0)) + 1)]
    cols = []
    for i, header in enumerate(sheet.headers, start=1):
        longest = max([_width(header)] + [_width(r[i - 1]) for r in sheet.rows[:500]
                                          if i - 1 < len(r) and r[i - 1] is not None])
        width = sheet.widths.get(i, min(max(8.0, longest * 1.1 + 2), 60.0))
        cols.append(f'<col min="{i}" max="{i}" width="{width:.1f}" customWidth="1"/>')
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
             '</sheetViews><sheetFormatPr defaultRowHeight="15"/>']
    if cols:
        parts.append("<cols>" + "".join(cols) + "</cols>")
    parts.append("<sheetData>")
    parts.append('<row r="1">' + "".join(_cell(f"{letters[i]}1", h, 1)
                                         for i, h in enumerate(sheet.headers)) + "</row>")
    percent = {i - 1 for i in sheet.percent}
    r = 1
    for r, row in enumerate(sheet.rows, start=2):
        parts.append(f'<row r="{r}">' + "".join(
            _cell(f"{letters[i]}{r}", v, 2 if i in percent else 0) for i, v in enumerate(row))
            + "</row>")
    if sheet.extra:
        r += 1
        for row in sheet.extra:
            r += 1
            parts.append(f'<row r="{r}">' + "".join(
                _cell(f"{letters[i]}{r}", v) for i, v in enumerate(row)) + "</row>")
    parts.append("</sheetData>")
    if sheet.rows:
        parts.append(f'<autoFilter ref="A1:{letters[len(sheet.headers) - 1]}{len(sheet.rows) + 1}"/>')
    for priority, (ref, formula, colour) in enumerate(sheet.conditional, start=1):
        parts.append(f'<conditionalFormatting sqref="{ref}"><cfRule type="expression" '
                     f'dxfId="{_DXF[colour]}" priority="{priority}"><formula>{_text(formula)}'
                     f"</formula></cfRule></conditionalFormatting>")
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                 'footer="0.3"/></worksheet>')
    return "".join(parts)


STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
<dxfs count="2"><dxf><fill><patternFill><bgColor rgb="RED"/></patternFill></fill></dxf>
<dxf><fill><patternFill><bgColor rgb="GREEN"/></patternFill></fill></dxf></dxfs>
</styleSheet>""".replace("RED", RED).replace("GREEN", GREEN)


def workbook(sheets: list[Sheet], created: datetime, creator: str = "staffplan") -> bytes:
    """The .xlsx file's bytes."""
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                      f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1)) + "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{ns}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>"),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<cp:coreProperties xmlns:cp="{ns}/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_text(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>'
            "</cp:coreProperties>"),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
            "<bookViews><workbookView/></bookViews><sheets>"
            + "".join(f'<sheet name="{_text(s.name[:31])}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1)) + "</sheets>"
            + ("<definedNames>" + "".join(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i - 1}" hidden="1">'
                f"'{_text(s.name[:31])}'!$A$1:${column(len(s.headers))}${len(s.rows) + 1}</definedName>"
                for i, s in enumerate(sheets, start=1) if s.rows) + "</definedNames>"
               if any(s.rows for s in sheets) else "")
            + "</workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{ns}/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{ns}/officeDocument/2006/relationships/styles" '
              'Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": STYLES,
    }
    for i, sheet in enumerate(sheets, start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"), compresslevel=1)
    return buf.getvalue()
