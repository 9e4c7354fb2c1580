"""The PostgreSQL read model: versioned migrations (``migrations/*.sql``), the event -> row
mapping with its tracking table, and full-text search. Used by the ``postgres`` handler
(worker.consumers.builtin.postgres), ``newsworker db``/``search`` and ``GET /v1/search``."""
