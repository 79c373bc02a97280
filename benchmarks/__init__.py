"""Benchmarks: `python -m benchmarks` runs every comparison side by side and writes benchmarks/results/."""
