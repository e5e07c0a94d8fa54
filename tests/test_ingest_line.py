"""Ingest reads top to bottom (issue 13): an upload's bytes pass through one function per step, in order, each
called from one place (:mod:`pipeline.ingest.upload`), and a large file passes through the same step functions,
only fed in blocks (:mod:`pipeline.ingest.streaming`).

Calls are recorded with a profiler hook while a real upload lands, so the order asserted is the order that ran.
"""

from __future__ import annotations

import sys
import threading

from pipeline.ingest import ingest_bytes

#: the steps of ARCHITECTURE.md's ingest, in order: (module, function)
STEPS = [
    ("pipeline.ingest.limits", "check_size"),  # 0 the size limit, before a byte is read
    ("pipeline.ingest.sandbox", "read_in_child"),  # 1 bytes -> raw table (reading.read_table, in a child process)
    ("pipeline.ingest.layout", "layout"),  # 2 raw table -> located header
    ("pipeline.ingest.records", "typed_records"),  # 3 header + rows -> typed records
    ("pipeline.ingest.codes", "repair_codes"),  # 4 codes through the landed dictionaries
    ("pipeline.ingest.checking", "validate"),  # 5 pandera
    ("pipeline.ingest.plausibility", "plausibility"),  # 6 warnings against landed data
    ("pipeline.ingest.landing", "land"),  # 7 landed
]


def _recorded(run) -> list[tuple[str, str, str]]:
    """(caller module, callee module, callee function) of every call into a step function while ``run`` runs,
    in every thread (step 3 runs in two threads for a file fed in blocks)."""
    wanted = set(STEPS)
    calls: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def hook(frame, event, _arg):
        if event != "call":
            return
        callee = (frame.f_globals.get("__name__", ""), frame.f_code.co_name)
        if callee in wanted:
            caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
            with lock:
                calls.append((caller, *callee))

    threading.setprofile(hook)
    sys.setprofile(hook)
    try:
        run()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    return calls


def _step_order(calls: list[tuple[str, str, str]]) -> list[int]:
    """The step number of each call, repeats of the same step folded."""
    order: list[int] = []
    for _, module, function in calls:
        step = STEPS.index((module, function))
        if not order or order[-1] != step:
            order.append(step)
    return order


def _firms(rows: int) -> bytes:
    """``rows`` firm records of 2022 in the tiny dictionaries' regions and industries."""
    lines = ["firm_id,year,region_code,industry_code,employment,output_value"]
    codes = [(r, i) for r in ("210100", "210200") for i in ("13", "37")]
    for n in range(rows):
        region, industry = codes[n % 4]
        lines.append(f"F{n:05d},2022,{region},{industry},{10 + n % 90},{(10 + n % 90) * 1000}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_an_upload_passes_the_steps_in_order_called_from_the_upload_module(dictionaries):
    calls = _recorded(lambda: ingest_bytes(dictionaries, _firms(40), "firms.csv", "firms", this_year=2026))
    assert _step_order(calls) == [0, 1, 2, 3, 4, 5, 6, 7]  # each step once, none returned to
    callers = {(module, function): caller for caller, module, function in calls}
    # steps 1, 2 and 4 to 7 are called by pipeline.ingest.upload; step 3 by the feed upload hands it to
    assert callers.pop(("pipeline.ingest.records", "typed_records")) == "pipeline.ingest.streaming"
    assert set(callers.values()) == {"pipeline.ingest.upload"}
    assert [c for c in calls if c[2] == "typed_records"] == [
        ("pipeline.ingest.streaming", "pipeline.ingest.records", "typed_records")]


def test_a_large_file_passes_the_same_steps_fed_in_blocks(dictionaries):
    """5,000 records (about 180 KB) in blocks of 16 KB: step 3 runs once per block, every other step as for a
    small file, in the same order."""
    data = _firms(5000)
    dictionaries.extra["ingest_block_mb"] = str(16 / 1024)
    result = []
    calls = _recorded(lambda: result.append(ingest_bytes(dictionaries, data, "firms.csv", "firms",
                                                         this_year=2026)))
    assert result[0].status == "landed" and result[0].upload.rows == 5000
    assert _step_order(calls) == [0, 1, 2, 3, 4, 5, 6, 7]
    per_block = [c for c in calls if c[2] == "typed_records"]
    blocks = -(-len(data) // (16 * 1024))  # at least as many blocks as 16 KB pieces (whole lines: a few more)
    assert blocks <= len(per_block) <= blocks + 2
    # the first step reads only the first block: one call, as for a small file
    assert [c for c in calls if c[2] == "read_in_child"] == [
        ("pipeline.ingest.upload", "pipeline.ingest.sandbox", "read_in_child")]
