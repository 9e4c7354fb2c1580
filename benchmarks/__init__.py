"""newsworker benchmarks (``make bench`` / ``python -m benchmarks``).

Every row measures its baseline in the same run, right next to the measured thing, on a
Redis and Celery worker of its own (never the shared Redis); see benchmarks/README.md.
"""
