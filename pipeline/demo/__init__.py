"""Demo data: the synthetic Liaoning demo (files written, landed through the ingest path, built, corrected and
rebuilt) and seeded synthetic upload files at scale for benchmarks and trials.

- :mod:`~pipeline.demo.catalog`: the real, public facts behind the demo: cities, zones, industries, the cluster
  plan (a catalogue: long by nature);
- :mod:`~pipeline.demo.economy`: the synthetic economy: clusters, their series over time, firms and city-industry
  records, from one seed;
- :mod:`~pipeline.demo.files`: that economy written as a bureau's upload files (headers, units, encodings, formats);
- :mod:`~pipeline.demo.run`: ``clusterstats demo``: write the files, land them, build;
- :mod:`~pipeline.demo.corrections`: the demo's second build: audited corrections as new vintages, and the change
  report of the build they trigger;
- :mod:`~pipeline.demo.releases`: the demo's two releases (the first build, and its revision after the corrections);
- :mod:`~pipeline.demo.synth`: synthetic upload files at national and census scale (``clusterstats synth``).

Enters: a seed (and, for the demo run, the settings of a data directory).
Leaves: upload files in a folder; for the demo run, landed uploads, two builds, two releases and progress lines.
May import: pipeline.core, schemas, warehouse, pipeline.ingest, pipeline.jobs, pipeline.publishing.
"""
