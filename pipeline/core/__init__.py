"""Foundations, imported by every stage: settings, domain errors, bilingual messages, the operations store,
files written atomically, and what makes a user's text safe to show or write back.

- :mod:`~pipeline.core.settings`: the data directory and the paths derived from it;
- :mod:`~pipeline.core.errors`: domain exceptions, each docstring its message;
- :mod:`~pipeline.core.messages`: every message in English and Chinese (a catalogue: long by nature);
- :mod:`~pipeline.core.ops`: ``ops.sqlite`` (manifest, rejections, builds, jobs, users, audit log) and its migrations;
- :mod:`~pipeline.core.publication`: the rows of submissions and releases, and publication at the embargo time
  (one transaction; the worker calls it);
- :mod:`~pipeline.core.files`: atomic writes, full-disk detection, the fault tests' pause hook;
- :mod:`~pipeline.core.safety`: spreadsheet formulas and markup neutralised, file names cleaned.

Enters: nothing of its own; every stage calls it.
Leaves: :class:`Settings`, exceptions, :class:`Msg`, :class:`OpsStore`.
May import: nothing of the project (the standard library and polars).
"""
