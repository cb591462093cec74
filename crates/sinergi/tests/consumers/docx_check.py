"""Reads a DOCX (path in argv[1]) with python-docx; prints its structure as JSON."""
import json
import sys

import docx
from docx.oxml.ns import qn

d = docx.Document(sys.argv[1])
pkg = d.part.package
names = sorted(str(p.partname) for p in pkg.iter_parts())
paras = [{"style": p.style.name, "text": p.text,
          "numbered": p._p.pPr is not None and p._p.pPr.numPr is not None}
         for p in d.paragraphs]
footer = d.sections[0].footer
footer_cells = [c.text for t in footer.tables for row in t.rows for c in row.cells]
defaults = d.styles.element.find(qn("w:docDefaults"))
fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
sec = d.sections[0]
json.dump({
    "parts": names,
    "paragraphs": paras,
    "headings": [p["text"] for p in paras if p["style"] == "Heading 1"],
    "numbered": sum(1 for p in paras if p["numbered"]),
    "has_numbering": d.part.numbering_part is not None,
    "settings_zoom": d.settings.element.find(qn("w:zoom")) is not None,
    "title": d.core_properties.title,
    "language": d.core_properties.language,
    "font": fonts.get(qn("w:ascii")),
    "footer_cells": footer_cells,
    "margins_cm": [round(x.cm, 2) for x in (sec.top_margin, sec.left_margin, sec.right_margin)],
    "tables": len(d.tables),
}, sys.stdout)
