"""The building blocks of the benchmarks in ``scripts/`` (not shipped with the product).

- ``timing``: timed child processes, peak RSS from ``/proc``, ``timed`` blocks, medians;
  shared by ``bench.py``, ``bench_diarize.py`` and ``bench_serve.py``.
- ``inputs``: the answers ``bench.py`` times (clips joined to exact lengths, cached).
- ``measures``: overhead, live latency, batch, start-up, accuracy and profile runs.
- ``children``: the helper modes ``bench.py`` starts in fresh processes.
- ``report``: verdicts against the goals, the table and docs/benchmarks.md.

The scripts find this package because Python puts a script's own folder first on
``sys.path``; tests put ``scripts/`` there themselves.
"""
