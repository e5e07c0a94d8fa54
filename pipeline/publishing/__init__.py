"""Publishing: what makes the bureau's numbers official. City submissions reviewed by the province, releases frozen
from the official build, approved by a second person and published by the worker at their announced time, and
revisions that name what they revise and list every figure that moved.

- :mod:`~pipeline.publishing.submissions`: accept or return a city's submission (with a comment the submitter
  reads), and preview the change it would make to the official figures;
- :mod:`~pipeline.publishing.releases`: create (freeze the official build as release N, read-only, content-hashed,
  its tables protected), approve (four eyes), verify the frozen files, rebuild a release from its recorded
  vintages and methodology;
- :mod:`~pipeline.publishing.disclosure`: disclosure control of a release: the regional-industry table of each
  year and measure protected, the report, the derived figures withheld (:mod:`warehouse.disclosure`); tables
  without firm information need an administrator's acknowledgement (``acknowledge_release``);
- :mod:`~pipeline.publishing.primary`: primary suppression rules (minimum frequency, dominance (n, k), p %) over the
  contributions behind each cell (pure functions);
- :mod:`~pipeline.publishing.secondary`: secondary suppression by Gaussian elimination (GaussSuppression's algorithm
  and candidate order, without its singleton handling yet);
- :mod:`~pipeline.publishing.protect`: one table of firm records protected: cells at every level of its
  hierarchies, primary and secondary suppressions;
- :mod:`~pipeline.publishing.attack`: the attacker's linear programmes: how closely published cells bound each
  suppressed one;
- :mod:`~pipeline.publishing.authority`: who may take each decision, checked here as well as by the CLI and the app;
- :mod:`~pipeline.publishing.bulletin`: a release as a statistical bulletin (统计公报), Word (docxtpl) or PDF
  (Typst), Chinese or English, from templates and wording a bureau can replace;
- publication itself (approved -> published at the embargo time) is one transaction in the ops store
  (:func:`pipeline.core.publication.publish_due`), which the worker calls on every tick.

Enters: landed uploads and their submission state, the live official build, the archived methodologies.
Leaves: ``data/releases/*.duckdb`` (read-only), the rows of submissions and releases in ``ops.sqlite``, and
bulletins (bytes, made on request).
May import: pipeline.core, schemas, warehouse, pipeline.access, pipeline.scoring, pipeline.jobs, pipeline.reports.
"""

from pipeline.publishing.releases import (
    ReleaseError,
    acknowledge_release,
    approve_release,
    create_release,
    rebuild_release,
    release_path,
    release_problems,
    revision_figures,
)
from pipeline.publishing.submissions import ReviewError, accept_submission, preview_submission, return_submission

__all__ = [
    "ReleaseError", "ReviewError", "accept_submission", "acknowledge_release", "approve_release", "create_release",
    "preview_submission", "rebuild_release", "release_path", "release_problems", "return_submission",
    "revision_figures",
]
