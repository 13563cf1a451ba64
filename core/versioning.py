"""The data version: read once per cached computation, raised by every write to its inputs."""

from django.db.models import F

from core.models import DataVersion


def current_version():
    version, _created = DataVersion.objects.get_or_create(pk=1)
    return version.value


def bump_version(*args, **kwargs):
    """Raise the version; usable directly or as a signal receiver. The UPDATE belongs to the
    writer's transaction, so readers see the new version exactly when they see the new data."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def move_version_past(previous):
    """After the data was replaced wholesale (a restore; a benchmark's flush): a version above
    both `previous` (read before the replacement) and whatever the new data brought, so that no
    worker can find results it cached for the old data under it."""
    value = max(previous, current_version()) + 1
    DataVersion.objects.update_or_create(pk=1, defaults={"value": value})


# Results computed from the data, kept per process under (name, data version): a new version
# makes them unreachable. Kept without copying, so callers must only read them.
_MEMO = {}
_MEMO_SIZE = 32


def versioned(name, compute):
    key = (name, current_version())
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = compute()
    return _MEMO[key]


def clear_memo():
    _MEMO.clear()
