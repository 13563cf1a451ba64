"""扫码签到: the signed codes, each day's sign-in window, matching what an attendee types, and the
throttle of the public page. The write itself is training.services.self_check_in.

Two kinds of code, because they hang in two different places:

- The **projector** (full-screen page at the venue) shows a code that changes every
  ROTATE_SECONDS and is accepted for GRACE_SECONDS after it was replaced (time to type a name
  on the phone). A photo of the screen sent to a colleague who stayed at the office therefore
  stops working within minutes. Its payload carries the rotation slot (seconds since the epoch
  divided by ROTATE_SECONDS): every screen showing the training shows the same code, and the
  expiry is a pure function of the slot and the clock, testable without sleeping.
- The **poster** (printed A4, for rooms without a projector) cannot change, so its code is good
  for the whole of its day's window and says so in print. It is the weaker of the two: a photo
  of it works all day. The organizer chooses which to use; the projector is the default.

Both are signed with the project's SECRET_KEY under their own salt (django.core.signing), so a
code cannot be forged or moved to another training or day, and neither says anything about the
attendees. Whatever the code, the attendee still has to type a registered name and phone.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from core.tabular import clean_phone, fold, match_key

SALT = "training.checkin"
ROTATE_SECONDS = 120  # the projector shows a new code every two minutes
GRACE_SECONDS = 180  # and accepts the replaced one three minutes longer
EARLY = timedelta(minutes=30)  # sign-in opens 30 minutes before the day's start
POSTER = "p"
PROJECTOR = "s"

# Failed attempts (a name and phone that match nobody, a bad code) in a window of
# THROTTLE_SECONDS: per address, low (a person mistyping a few times); per training, high enough
# for a hall of a hundred people behind one Wi-Fi, low enough that guessing four digits for
# every name takes days. Successful sign-ins never count.
THROTTLE_SECONDS = 600
IP_FAILURES = 10
TRAINING_FAILURES = 100


class BadCode(Exception):
    """The code is not one of ours (typed, cut short, tampered with)."""


class ExpiredCode(Exception):
    """A projector code replaced longer ago than the grace period."""


@dataclass(frozen=True)
class Code:
    training_id: int
    day: date
    kind: str
    slot: int = 0

    @property
    def is_poster(self):
        return self.kind == POSTER


def _signer():
    return signing.Signer(salt=SALT)


def slot_at(now):
    return int(now.timestamp()) // ROTATE_SECONDS


def projector_code(training, day, now=None):
    """The code the projector shows now; the same for every screen within a rotation slot."""
    slot = slot_at(now or timezone.now())
    return _signer().sign(f"{training.pk}.{day:%Y%m%d}.{PROJECTOR}{slot}")


def poster_code(training, day):
    return _signer().sign(f"{training.pk}.{day:%Y%m%d}.{POSTER}")


def projector_expires_at(slot):
    """When a projector code of `slot` stops being accepted."""
    end_of_slot = (slot + 1) * ROTATE_SECONDS
    return datetime.fromtimestamp(end_of_slot + GRACE_SECONDS, tz=timezone.get_fixed_timezone(0))


_PAYLOAD = re.compile(r"^(\d{1,10})\.(\d{8})\.(p|s\d{1,12})$")


def read_code(token, now=None):
    """The training, day and kind a code names; BadCode or ExpiredCode otherwise."""
    try:
        payload = _signer().unsign(token)
    except signing.BadSignature:
        raise BadCode from None
    match = _PAYLOAD.match(payload)
    if not match:
        raise BadCode
    training_id, day_text, kind = match.groups()
    try:
        day = datetime.strptime(day_text, "%Y%m%d").date()
    except ValueError:
        raise BadCode from None
    if kind == POSTER:
        return Code(int(training_id), day, POSTER)
    slot = int(kind[1:])
    if (now or timezone.now()) >= projector_expires_at(slot):
        raise ExpiredCode
    return Code(int(training_id), day, PROJECTOR, slot)


def day_window(training, day):
    """(opens, closes) of sign-in on `day`: from 30 minutes before the day's start to its end,
    both included. Every day of a multi-day training runs at the first day's start time and the
    last day's end time (09:00–17:00 each day); the first and last days are exactly the
    training's own start and end."""
    start_clock = timezone.localtime(training.starts_at).time()
    end_clock = timezone.localtime(training.ends_at).time()
    starts = timezone.make_aware(datetime.combine(day, start_clock))
    ends = timezone.make_aware(datetime.combine(day, end_clock))
    if ends <= starts:  # an evening start with a morning end: sign-in stays open to midnight
        ends = timezone.make_aware(datetime.combine(day, time.max))
    return starts - EARLY, ends


# What the attendee types --------------------------------------------------------------------


def name_key(text):
    """张 三, 张三 and full-width spellings are one name."""
    return match_key(fold(text))


def phone_digits(text):
    """The digits of what was typed: `138 1234 5678`, `+86 13812345678`, `５６７８`."""
    return re.sub(r"\D", "", clean_phone(fold(text)))


def phone_matches(registered, typed_digits):
    """Four digits match the end of the registered number; more must be the whole number."""
    registered_digits = phone_digits(registered)
    if len(typed_digits) == 4:
        return registered_digits.endswith(typed_digits)
    return registered_digits == typed_digits


# Throttle -----------------------------------------------------------------------------------


def _keys(training_id, address, now):
    window = int(now.timestamp()) // THROTTLE_SECONDS
    keys = [(f"checkin-fail:ip:{address}:{window}", IP_FAILURES)]
    if training_id is not None:
        keys.append((f"checkin-fail:training:{training_id}:{window}", TRAINING_FAILURES))
    return keys


def is_throttled(training_id, address, now=None):
    """True when the address or the training has used up its failed attempts for now."""
    keys = _keys(training_id, address, now or timezone.now())
    counts = cache.get_many([key for key, _limit in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def record_failure(training_id, address, now=None):
    for key, _limit in _keys(training_id, address, now or timezone.now()):
        cache.add(key, 0, THROTTLE_SECONDS * 2)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr: start again
            cache.set(key, 1, THROTTLE_SECONDS * 2)
