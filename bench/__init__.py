"""Benchmarks (``make bench``); results go to ``bench/results/`` (git-ignored)."""
