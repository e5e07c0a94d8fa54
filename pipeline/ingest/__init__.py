"""Stage ``ingest``: an upload's bytes become validated records, landed as an immutable vintage, all or nothing.

Enters: the bytes of a file (CSV, XLSX/XLS/ODS, Parquet) and its kind, with the options of ``clusterstats ingest``.
Leaves: a landed upload (Parquet under ``data/landing/`` and its manifest row in ops.sqlite), or a report of every
problem by row and column (:class:`UploadInvalid`); readers of the landing zone (:mod:`.landing`).
May import: pipeline.core, schemas.

The steps, in the order :mod:`.upload` calls them (each module imports only the ones above it in this list):

- :mod:`.report`: the report every step adds to (``Failure``, ``ValidationReport``, ``SOURCE_ROW``);
- :mod:`.limits`: step 0, the size limit and the upload's identity;
- :mod:`.sheets`, :mod:`.text`, :mod:`.workbooks`, :mod:`.raw`, :mod:`.reading`: step 1, bytes -> raw table (a
  workbook's archive checked; encodings, separators; which sheet; the user's row numbers and column letters);
  :mod:`.sandbox` runs it in a child process under limits on memory, processor time and output;
- :mod:`.units`, :mod:`.headers`, :mod:`.layout`: step 2, raw table -> located header (title rows, two-row
  headers, aliases in Chinese and English, name columns, units);
- :mod:`.rows`, :mod:`.values`, :mod:`.cells`, :mod:`.records`: step 3, rows -> typed records (blank rows,
  totals and footnotes set aside; one cell; a table's cells by column type; the typed records);
- :mod:`.streaming`: how steps 1 to 3 are fed: the whole file, or a large UTF-8 CSV in blocks of lines;
- :mod:`.codes`: step 4, codes read through the landed dictionaries (lost zeros, names for codes);
- :mod:`.checking`: step 5, pandera (``lazy=True``) and its failure cases as report lines;
- :mod:`.consistency`, :mod:`.plausibility`: step 6, warnings: a part larger than its whole in a record, and
  against landed data (year-on-year jumps, replaced values, a cluster above its industries);
- :mod:`.landing`: step 7, the landing zone (atomic Parquet, manifest row, rejected rows, recovery after a crash);
- :mod:`.results`: what an upload gives (the checked upload, its rejected rows, the ingest result);
- :mod:`.upload`: the steps in order: :func:`check_upload`, :func:`ingest_bytes`, :func:`ingest_file`.
- :mod:`.boundaries`: region boundaries (GeoJSON) for the maps, kept beside the landing zone.
"""

from __future__ import annotations

from pipeline.ingest.limits import Limits, upload_limits
from pipeline.ingest.results import CheckedUpload, IngestResult, problems_zh
from pipeline.ingest.upload import check_upload, ingest_bytes, ingest_file

__all__ = ["CheckedUpload", "IngestResult", "Limits", "check_upload", "ingest_bytes", "ingest_file", "problems_zh",
           "upload_limits"]
