"""Load on the open-data API: a bounded asyncio client (httpx) against `clusterstats api` on 127.0.0.1.

    python -m benchmarks.api_load DATA_DIR [--clients 100] [--seconds 20] [--release 2]

Starts the API on a free port over DATA_DIR (a data directory with a published release: the demo's), then, for
each resource (a cluster's scorecard and one page of the location-quotient table), runs ``--clients`` concurrent
clients, each sending its next request when the previous answer has arrived (a closed loop: the load is bounded
by the clients, not open-ended), for ``--seconds`` after a short warm-up. Every request asks the same question a
reader would (no If-None-Match: every answer is computed or served in full).

Prints, per resource: requests per second, p50/p95/p99 latency in ms, errors, and the CPU seconds of the server
process and of the client beside the wall seconds. The client and server share the machine's 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

RESOURCES = {
    "scorecard": "/v1/releases/{release}/clusters/LN-NE-004/scorecard?year=2022",
    "lq_page": "/v1/releases/{release}/indices/lq?measure=employment&year=2022&page=1&page_size=100",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _load(base: str, path: str, clients: int, seconds: float) -> tuple[list[float], int]:
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        stop = time.perf_counter() + seconds

        async def one() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok

        await asyncio.gather(*(one() for _ in range(clients)))
    return latencies, errors


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))] if xs else float("nan")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data_dir", type=Path)
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--warmup", type=float, default=3.0)
    p.add_argument("--release", type=int, default=2)
    args = p.parse_args(argv)
    port = _free_port()
    exe = Path(sys.executable).parent / "clusterstats"
    server = subprocess.Popen([str(exe), "--data-dir", str(args.data_dir), "api", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/v1/releases", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        results = []
        for name, template in RESOURCES.items():
            path = template.format(release=args.release)
            asyncio.run(_load(base, path, min(args.clients, 10), args.warmup))  # warm-up, not counted
            server_cpu, client_cpu, wall = _cpu_seconds(server.pid), time.process_time(), time.perf_counter()
            latencies, errors = asyncio.run(_load(base, path, args.clients, args.seconds))
            wall = time.perf_counter() - wall
            results.append({
                "resource": name, "clients": args.clients, "requests": len(latencies), "errors": errors,
                "rps": round(len(latencies) / wall, 1), "p50_ms": round(_percentile(latencies, 50), 1),
                "p95_ms": round(_percentile(latencies, 95), 1), "p99_ms": round(_percentile(latencies, 99), 1),
                "wall_s": round(wall, 1), "server_cpu_s": round(_cpu_seconds(server.pid) - server_cpu, 1),
                "client_cpu_s": round(time.process_time() - client_cpu, 1),
                "load_avg_1m": round(os.getloadavg()[0], 2)})
            print(json.dumps(results[-1]), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
