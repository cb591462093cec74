"""Reads an XLSX workbook (path in argv[1]) with openpyxl; prints what Excel would show."""
import datetime
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = {"title": wb.properties.title, "sheets": []}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 12)):
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, (datetime.datetime, datetime.date)):
                v = v.date().isoformat() if isinstance(v, datetime.datetime) else v.isoformat()
            cells.append({
                "value": v,
                "is_date": c.is_date,
                "number_format": c.number_format,
                "wrap": bool(c.alignment.wrap_text),
                "bold": bool(c.font.bold),
            })
        rows.append(cells)
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    out["sheets"].append({
        "name": ws.title,
        "freeze_panes": ws.freeze_panes,
        "auto_filter": ws.auto_filter.ref,
        "print_title_rows": ws.print_title_rows,
        "orientation": ws.page_setup.orientation,
        "paper_size": ws.page_setup.paperSize,
        "fit_to_width": ws.page_setup.fitToWidth,
        "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "footer": ws.oddFooter.right.text if ws.oddFooter and ws.oddFooter.right else None,
        "widths": widths,
        "rows": rows,
        "max_row": ws.max_row,
    })
json.dump(out, sys.stdout, default=str)
