"""The district-scale benchmark (``make bench``): seed, measure every hot path as ratios, report.

Nothing in the portal imports this package; the benchmark runs with ``perf.settings``.
"""
