"""The ``log`` handler: one line per event on stdout."""

from __future__ import annotations

from worker.consumers.handler import Handler
from worker.events.models import AnyEvent, IngestionFailed


class LogHandler(Handler):
    """Prints one line per event."""

    def handle(self, event: AnyEvent) -> None:
        if isinstance(event, IngestionFailed):
            line = f"{event.type} {event.source.location}: {event.data.reason}"
        else:
            art = event.data
            dateline = f" [{art.dateline}]" if art.dateline else ""
            line = (f"{event.type} v{event.version} {event.article_id}{dateline} "
                    f"{art.title!r} ({art.word_count} words)")
        print(line, flush=True)
