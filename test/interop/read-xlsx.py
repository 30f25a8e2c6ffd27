"""Reads an XLSX workbook with openpyxl and prints what it found as one JSON object.

Used by the reporter end-to-end tests (test/e2e/reporter-e2e-cases.ts):

  read-xlsx.py full FILE
      every sheet, loaded whole: title, frozen pane, autofilter range, whether each header
      cell is bold, the number format of each cell in row 2, the horizontal alignment of
      each cell in rows 1 and 2, and every row as [[value, type name], ...]
  read-xlsx.py scan FILE [ROW ...]
      read-only mode (streaming, for large sheets): per sheet the title, the number of
      rows, the size the sheet declares (max_row / max_column, None without <dimension>),
      and the cells of the listed 1-based rows as above

A cell is [value, Python type name]: ["Lisbon", "str"], [1200, "int"], [12.5, "float"],
[true, "bool"], ["2024-03-05T00:00:00", "datetime"], [null, "NoneType"].
"""
import json
import sys

import openpyxl


def cell(value):
    kind = type(value).__name__
    if hasattr(value, "isoformat"):
        return [value.isoformat(), kind]
    return [value, kind]


def full(path):
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        rows = [[cell(c.value) for c in row] for row in ws.iter_rows()]
        header = next(ws.iter_rows(min_row=1, max_row=1), ())
        first = next(ws.iter_rows(min_row=2, max_row=2), ())
        sheets.append({
            "title": ws.title,
            "freeze": ws.freeze_panes,
            "autoFilter": ws.auto_filter.ref,
            "headerBold": [bool(c.font and c.font.b) for c in header],
            "formats": [c.number_format for c in first],
            "headerAlign": [c.alignment.horizontal for c in header],
            "align": [c.alignment.horizontal for c in first],
            "rows": rows,
        })
    return {"sheets": sheets}


def scan(path, wanted):
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = []
    for ws in book.worksheets:
        # Read before the rows: in read-only mode these come from the sheet's <dimension>.
        declared = (ws.max_row, ws.max_column)
        count = 0
        picked = {}
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            count = number
            if number in wanted:
                picked[str(number)] = [cell(v) for v in values]
        sheets.append({"title": ws.title, "rows": count, "maxRow": declared[0], "maxColumn": declared[1], "picked": picked})
    book.close()
    return {"sheets": sheets}


def main(argv):
    mode, path = argv[1], argv[2]
    if mode == "full":
        result = full(path)
    elif mode == "scan":
        result = scan(path, {int(n) for n in argv[3:]})
    else:
        raise SystemExit(f"unknown mode {mode!r}: full or scan")
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
