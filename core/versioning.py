"""The data version: read once per cached computation, raised by every write to its inputs.

Besides the version of all inputs there is one per topic (TOPICS): a write raises the version
and the counters of the topics it touches, and a part of the computation cached under a
topic's counter survives writes to other inputs."""

from django.db.models import F

from core.models import DataVersion

TOPICS = ("training", "spot_checks", "published")
ALL = "value"
# model → the topics its writes touch, for bump_version as a signal receiver
_TOPICS_OF_SENDER = {}


def topics_of(model, topics):
    """Declare which topics the writes of `model` touch (sent as signals)."""
    _TOPICS_OF_SENDER[model] = tuple(topics)


def current_version(topic=ALL):
    version, _created = DataVersion.objects.get_or_create(pk=1)
    return getattr(version, topic)


def bump_version(*args, topics=None, sender=None, **kwargs):
    """Raise the version and the counters of `topics` (all of them unless the sender model
    declared its own); usable directly or as a signal receiver. The UPDATE belongs to the
    writer's transaction, so readers see the new version exactly when they see the new data."""
    if topics is None:
        topics = _TOPICS_OF_SENDER.get(sender, TOPICS)
    raised = {name: F(name) + 1 for name in (ALL, *topics)}
    if not DataVersion.objects.filter(pk=1).update(**raised):
        DataVersion.objects.get_or_create(pk=1, defaults=dict.fromkeys(raised, 1))


def move_version_past(previous):
    """After the data was replaced wholesale (a restore; a benchmark's flush): every counter
    above both `previous` (the version read before the replacement) and whatever the new data
    brought, so that no worker can find results it cached for the old data under it."""
    version, _created = DataVersion.objects.get_or_create(pk=1)
    value = max(previous, *(getattr(version, name) for name in (ALL, *TOPICS))) + 1
    DataVersion.objects.filter(pk=1).update(**dict.fromkeys((ALL, *TOPICS), value))


# Results computed from the data, kept per process under (name, version): a new version makes
# them unreachable. Kept without copying, so callers must only read them.
_MEMO = {}
_MEMO_SIZE = 32


def versioned(name, compute, topic=ALL):
    key = (name, topic, current_version(topic))
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = compute()
    return _MEMO[key]


def clear_memo():
    _MEMO.clear()
