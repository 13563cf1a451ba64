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

import hashlib
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

# Failed attempts (a name and phone that match nobody) in a window of THROTTLE_SECONDS, counted
# for one training only, so a mistake at one training never holds up another:
# - per name typed: a person's four digits cannot be guessed (5 tries per 10 minutes: the
#   10,000 possibilities take weeks), and only that name waits when someone mistypes;
# - per address: a hall of a hundred people behind one Wi-Fi shares an address, so the limit
#   is set for a crowd making typos, and it still stops one device trying name after name;
# - per training: many addresses guessing together.
# Successful sign-ins never count. Walk-ins (nothing to guess) have their own count per
# address, so a flood of them cannot block anyone's sign-in.
THROTTLE_SECONDS = 600
NAME_FAILURES = 5
ADDRESS_FAILURES = 30
TRAINING_FAILURES = 200
ADDRESS_WALK_INS = 20


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


def day_hours(training, day):
    """(start, end) clock times of `day`. Every day of a multi-day training runs at the first
    day's start time and the last day's end time (09:00–17:00 each day). One that ends earlier
    in the day than it starts (报到 at 14:00, classes until 12:00 the next day) runs from its
    start to midnight on its first day, all day between, and until its end on its last."""
    start = timezone.localtime(training.starts_at).time()
    end = timezone.localtime(training.ends_at).time()
    if end > start:
        return start, end
    days = training.days()
    return (
        start if day == days[0] else time.min,
        end if day == days[-1] and len(days) > 1 else time.max,
    )


def day_window(training, day):
    """(opens, closes) of sign-in on `day`: from 30 minutes before the day's start to its end
    (`day_hours`), both included."""
    start_clock, end_clock = day_hours(training, day)
    starts = timezone.make_aware(datetime.combine(day, start_clock))
    ends = timezone.make_aware(datetime.combine(day, end_clock))
    # a day's sign-in never opens on the day before (a start at 00:15 opens at 00:00), so
    # "from … to …" in hours alone always means that day
    midnight = timezone.make_aware(datetime.combine(day, time.min))
    return max(starts - EARLY, midnight), ends


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


def _window(now):
    return int(now.timestamp()) // THROTTLE_SECONDS


def _sign_in_keys(training_id, address, name, now):
    prefix = f"checkin-fail:{training_id}:{_window(now)}"
    keys = [
        (f"{prefix}:address:{address}", ADDRESS_FAILURES),
        (f"{prefix}:all", TRAINING_FAILURES),
    ]
    if name:
        digest = hashlib.sha256(name.encode()).hexdigest()[:24]
        keys.append((f"{prefix}:name:{digest}", NAME_FAILURES))
    return keys


def _walk_in_keys(training_id, address, now):
    return [(f"checkin-walk-in:{training_id}:{_window(now)}:{address}", ADDRESS_WALK_INS)]


def _used_up(keys):
    counts = cache.get_many([key for key, _limit in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def _count(keys):
    for key, _limit in keys:
        cache.add(key, 0, THROTTLE_SECONDS * 2)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr: start again
            cache.set(key, 1, THROTTLE_SECONDS * 2)


def is_throttled(training_id, address, name="", now=None):
    """True when the name typed, the address or the training has used up its failed sign-in
    attempts at this training for now."""
    return _used_up(_sign_in_keys(training_id, address, name, now or timezone.now()))


def record_failure(training_id, address, name="", now=None):
    _count(_sign_in_keys(training_id, address, name, now or timezone.now()))


def walk_ins_throttled(training_id, address, now=None):
    return _used_up(_walk_in_keys(training_id, address, now or timezone.now()))


def record_walk_in(training_id, address, now=None):
    _count(_walk_in_keys(training_id, address, now or timezone.now()))
