"""Benchmarks kept out of the test suite: `make bench` (pages.py) and `make bench-sweep`."""
