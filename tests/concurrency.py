"""Two-thread races against the database: each action runs in its own thread (so on its own
connection), released together by a barrier."""

import threading

import pytest
from django.db import connection

# Real row locks are PostgreSQL's; SQLite runs one writer at a time and has none to race.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-lock races need PostgreSQL (SQLite serialises every write)",
)


def race(*actions):
    """Run the actions at once; their outcomes in order (a return value or the exception)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # the test inspects it
            outcomes[index] = error
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def refusals(outcomes):
    """The domain refusals among the outcomes; any other exception fails the test."""
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not hasattr(outcome, "code"):
            raise AssertionError(f"an action crashed: {outcome!r}") from outcome
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]


def exactly_one_wins(outcomes, code=None):
    refused = refusals(outcomes)
    assert len(refused) == len(outcomes) - 1, outcomes
    if code is not None:
        assert [error.code for error in refused] == [code] * len(refused), refused
    return refused
