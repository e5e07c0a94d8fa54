"""Benchmarks: `make bench` (see benchmarks/run.py)."""
