"""Fault-injection suite (`make faults`): real Redis, Celery and consumer processes
killed and cut off on purpose; see __main__.py and scenarios.py."""
