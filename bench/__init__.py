"""Benchmarks of pulumi-flink against hand-written pulumi-kubernetes (issue 6).

``python -m bench.harness`` (``make bench``) runs everything and writes
``docs/benchmarks.md``, ``docs/benchmarks.png`` and ``bench/results/*.json``;
``--smoke`` runs it once at N = 10 to keep it working (``make test``).
"""
