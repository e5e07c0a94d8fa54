"""Reports: what the app hands out to take away: exports of what a reader sees, and upload templates.

- :mod:`~pipeline.reports.exports`: Excel workbooks and chart images (PNG), with every cell from user data
  neutralised against spreadsheet formulas, numbers stored as numbers in the formatting rules' units;
- :mod:`~pipeline.reports.printable`: the printable HTML page, figures written by the formatting rules;
- :mod:`~pipeline.reports.templates`: upload templates (an Excel workbook per kind) and the data dictionary,
  generated from the schemas.

Enters: frames already in the reader's language; the upload kinds of :mod:`schemas`.
Leaves: file contents as bytes (XLSX, HTML, PNG) and the data dictionary as a frame.
May import: pipeline.core, schemas, pipeline.ingest.
"""
