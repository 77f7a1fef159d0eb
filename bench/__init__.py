"""Benchmarks, run on demand (not by the test suite); each reports ratios against a baseline
measured in the same run, because these machines are noisy."""
