"""Derived results (components, the year's ranking) kept in Django's cache framework.

A cache key names the *generation* of each topic its value was computed from. A generation is
a random token in the database (core.Generation), replaced by `transaction.on_commit` after a
write to one of the topic's inputs commits, so:

- a committed write changes the key at once for every process and machine (the token lives in
  the database, whatever cache backend each process has);
- a rolled-back write replaces nothing (Django drops its on-commit callbacks), and nothing
  computed inside a transaction is cached, so no uncommitted value is ever served;
- writers never hold the token row during their transaction: two writes to unrelated inputs do
  not wait on each other;
- the cache backend is Django's (LocMemCache, or Redis when REDIS_URL is set): thread-safe, and
  its values are copies (pickled), so no caller can change what another reads.

Writes through the ORM are noticed by signal receivers (assessment/apps.py); bulk writes, which
send no signals, call `changed(...)` themselves. docs/ARCHITECTURE.md has the whole picture."""

import secrets

from django.core.cache import cache
from django.db import transaction

from core.models import Generation

TRAINING, SPOT_CHECKS, ASSESSMENT, PUBLISHED = "training", "spot_checks", "assessment", "published"
TOPICS = (TRAINING, SPOT_CHECKS, ASSESSMENT, PUBLISHED)
_MISSING = object()
TIMEOUT = 24 * 3600  # an entry no key names any more simply ages out (LocMem also evicts by count)


def _new_token():
    return secrets.token_hex(8)


def changed(*topics, using=None):
    """Say that inputs of `topics` (all of them when none is named) were written: their
    generations are replaced once the current transaction commits (at once outside one)."""
    topics = topics or TOPICS
    transaction.on_commit(lambda: _replace(topics), using=using)


def _replace(topics):
    for topic in topics:
        if not Generation.objects.filter(topic=topic).update(token=_new_token()):
            Generation.objects.bulk_create(
                [Generation(topic=topic, token=_new_token())], ignore_conflicts=True
            )


def generations(topics):
    """{topic: token} for `topics`, in one query (creating the missing rows)."""
    tokens = dict(Generation.objects.filter(topic__in=topics).values_list("topic", "token"))
    missing = [topic for topic in topics if topic not in tokens]
    if missing:
        Generation.objects.bulk_create(
            [Generation(topic=topic, token=_new_token()) for topic in missing],
            ignore_conflicts=True,
        )
        tokens.update(Generation.objects.filter(topic__in=missing).values_list("topic", "token"))
    return tokens


def cached(name, compute, topics):
    """`compute()`, kept in the cache under `name` and the current generations of `topics`.

    Inside a transaction the value is computed and neither read from nor stored in the cache:
    the transaction may have written (and may roll back) what the value is computed from."""
    if not transaction.get_autocommit():
        return compute()
    tokens = generations(topics)
    key = "derived:" + ":".join([name, *(f"{topic}={tokens[topic]}" for topic in topics)])
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
