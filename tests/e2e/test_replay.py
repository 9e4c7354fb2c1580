"""Dead letters from a real consumer process, retried once the handler is fixed."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest

from tests.conftest import Proc, settings_env, wait_until
from tests.handlers_for_tests import make_article
from tests.support.consume import (
    appended_ids,
    archived_ids,
    cli,
    consume_argv,
    run_group,
    settled,
)
from worker.consumers.replay import dlq_list
from worker.settings import Settings
from worker.store.eventstore import EventStore


@pytest.mark.e2e
def test_dead_letter_then_retry_once_fixed(make_settings: Callable[..., Settings],
                                           spawn: Callable[..., Proc]) -> None:
    settings = make_settings(max_deliveries=3)
    store = EventStore.from_settings(settings)
    # Given a consumer whose handler always fails, and another group that works
    store.append_many([make_article(1), make_article(2)])
    flaky = spawn(consume_argv("arch", "tests.handlers_for_tests:FlakyArchive", "f"),
                  settings_env(settings), name="flaky")
    run_group(settings, store, "other", "tests.handlers_for_tests:Record")
    # Then both events are dead-lettered after max_deliveries; pending and lag drop to 0
    wait_until(lambda: len(dlq_list(store.redis, store.keys)) == 2, 30, message="dead letters")
    wait_until(lambda: settled(store.redis, store.keys, "arch"), 10, message="arch settled")
    letters = dlq_list(store.redis, store.keys)
    assert {d.deliveries for d in letters} == {3} and {d.group for d in letters} == {"arch"}
    assert {d.event_id for d in letters} == set(appended_ids(store))
    assert all("handler broken" in d.error and d.handler.endswith("FlakyArchive")
               for d in letters)
    listed = cli(settings, "dlq", "list", "--json")
    assert [orjson.loads(x)["entry_id"] for x in listed.stdout.splitlines()] == \
        [d.entry_id for d in letters]
    # When the handler is fixed and the dead letters retried
    (settings.data_dir / "fixed").touch()
    res = cli(settings, "dlq", "retry")
    assert res.returncode == 0 and "2 dead letter(s) retried" in res.stdout, res.stderr
    # Then the group handles each exactly once; the other group is not bothered again
    wait_until(lambda: len(archived_ids(settings)) == 2 and settled(store.redis, store.keys,
                                                                    "arch"), 30,
               message="retried events archived")
    assert sorted(archived_ids(settings)) == sorted(appended_ids(store))
    assert dlq_list(store.redis, store.keys) == []
    other = run_group(settings, store, "other", "tests.handlers_for_tests:Record")
    assert other.stats.handled == 0
    assert flaky.stop() == 0
