"""A bounded load test: the app under gunicorn on 127.0.0.1, 50 concurrent users for 60 s.

    .venv/bin/python tests/bench/load_test.py [--users 50] [--seconds 60] [--report docs/LOAD.md]

Leaders read the ranking, organizers mark attendance, inspectors save spot-check scores, each
after logging in through the login form. It reports requests, errors and p50/p95 latency per
action, then checks that every write the server acknowledged is in the database ("no lost
writes"). It talks to loopback only, and stops after --seconds or --max-requests.
It exits non-zero on any error or lost write. Not a test: run it on purpose.
"""

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Load-Test-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env, users):
    """Migrate a fresh database, load the demo, and give each virtual user its own objects."""
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    code = f"""
import json
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from assessment.models import Checklist, SpotCheck
from training.models import Attendee, Training, TrainingKind
from units.models import Unit
from units.roles import Role
from units.services import assign_role

users = {users}
units = list(Unit.objects.active().order_by("pk"))
checklist = Checklist.objects.order_by("pk").first()
kind = TrainingKind.objects.first()
plan = []
for index in range(users):
    role = ("leader", "organizer", "inspector")[index % 3]
    user = User.objects.create_user(f"load_{{role}}_{{index}}", password="{PASSWORD}")
    assign_role(user, Role(role))
    entry = {{"username": user.username, "role": role}}
    if role == "inspector":
        check = SpotCheck.objects.create(unit=units[index % len(units)], checklist=checklist,
                                         date=timezone.localdate())
        check.inspectors.set([user])
        entry["check"] = check.pk
    if role == "organizer":
        now = timezone.now()
        training = Training.objects.create(
            title=f"压力测试培训{{index}}", kind=kind, starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1), status="open", scope="none", created_by=user)
        entry["training"] = training.pk
        entry["attendees"] = [
            Attendee.objects.create(training=training, unit=units[(index + n) % len(units)],
                                    name=f"学员{{index}}-{{n}}", phone=f"139{{index:04d}}{{n:04d}}",
                                    registered_by=user).pk
            for n in range(10)
        ]
    plan.append(entry)
print("PLAN" + json.dumps(plan))
"""
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("PLAN", 1)[1])


class VirtualUser(threading.Thread):
    def __init__(self, base, entry, deadline, budget, stats):
        super().__init__(daemon=True)
        self.base, self.entry, self.deadline, self.budget, self.stats = (
            base,
            entry,
            deadline,
            budget,
            stats,
        )
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.last_write = None
        self.rng = random.Random(entry["username"])

    def request(self, action, path, data=None):
        if not self.budget.acquire(blocking=False):
            raise StopIteration
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                text = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as error:
            text, status = "", error.code
        except OSError:
            text, status = "", 0
        self.stats.record(action, time.perf_counter() - started, status)
        return status, text

    def csrf(self, text):
        match = CSRF.search(text)
        return match.group(1) if match else ""

    def run(self):
        try:
            _status, page = self.request("login page", "/login/")
            self.request(
                "log in",
                "/login/",
                {
                    "csrfmiddlewaretoken": self.csrf(page),
                    "username": self.entry["username"],
                    "password": PASSWORD,
                },
            )
            while time.monotonic() < self.deadline:
                getattr(self, self.entry["role"])()
        except StopIteration:
            pass

    def leader(self):
        self.request("ranking", "/assessment/ranking/")

    def organizer(self):
        path = f"/training/{self.entry['training']}/attendance/"
        status, page = self.request("attendance page", path)
        statuses = {
            a: self.rng.choice(["present", "absent", "excused"]) for a in self.entry["attendees"]
        }
        data = {
            "csrfmiddlewaretoken": self.csrf(page),
            **{f"status-{a}": s for a, s in statuses.items()},
        }
        status, _page = self.request("mark attendance", path, data)
        if status == 200:  # the redirect to the attendance page was followed
            self.last_write = statuses

    def inspector(self):
        path = f"/assessment/checks/{self.entry['check']}/score/"
        status, page = self.request("score page", path)
        version = VERSION.search(page)
        item = re.search(r'name="points_(\d+)"', page)
        if not (version and item):
            self.stats.record("score page parse", 0, 0)
            return
        points = self.rng.randrange(0, 9)
        data = {
            "csrfmiddlewaretoken": self.csrf(page),
            "version": version.group(1),
            f"points_{item.group(1)}": points,
        }
        status, after = self.request("save scores", path, data)
        if status == 200 and 'data-testid="conflict"' not in after:
            self.last_write = (int(item.group(1)), points)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times, self.errors = {}, {}

    def record(self, action, seconds, status):
        with self.lock:
            self.times.setdefault(action, []).append(seconds)
            if not 200 <= status < 400:
                self.errors[action] = self.errors.get(action, 0) + 1

    def table(self):
        rows = []
        for action, times in sorted(self.times.items()):
            ordered = sorted(times)
            rows.append(
                {
                    "action": action,
                    "requests": len(times),
                    "errors": self.errors.get(action, 0),
                    "p50_ms": round(statistics.median(ordered) * 1000, 1),
                    "p95_ms": round(
                        ordered[int(len(ordered) * 0.95) - 1 if len(ordered) > 1 else 0] * 1000, 1
                    ),
                }
            )
        return rows


def lost_writes(env, users):
    code = f"""
import json
from assessment.models import ItemResult
from training.models import AttendanceMark
from django.utils import timezone
users = json.loads({json.dumps(json.dumps(users))})
lost = []
for user in users:
    if user["last"] is None:
        continue
    if user["role"] == "inspector":
        item, points = user["last"]
        stored = ItemResult.objects.filter(spot_check_id=user["check"], item_id=item).first()
        if stored is None or stored.points != points:
            lost.append(user["username"])
    else:
        marks = dict(AttendanceMark.objects.filter(attendee_id__in=[int(a) for a in user["last"]],
                     day=timezone.localdate()).values_list("attendee_id", "status"))
        if {{str(k): v for k, v in marks.items()}} != user["last"]:
            lost.append(user["username"])
print("LOST" + json.dumps(lost))
"""
    python = str(ROOT / ".venv" / "bin" / "python")
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("LOST", 1)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="load-"))
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{workdir}/load.sqlite3"),
        "MEDIA_ROOT": str(workdir / "media"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    print(f"preparing {args.users} users in {workdir} …", flush=True)
    plan = prepare(env, args.users)
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "-k",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        stats = Stats()
        budget = threading.Semaphore(args.max_requests)
        started = time.monotonic()
        deadline = started + args.seconds
        users = [VirtualUser(base, entry, deadline, budget, stats) for entry in plan]
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=args.seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    rows = stats.table()
    total = sum(row["requests"] for row in rows)
    errors = sum(row["errors"] for row in rows)
    lost = lost_writes(
        env, [{**entry, "last": user.last_write} for entry, user in zip(plan, users, strict=True)]
    )
    summary = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "errors": errors,
        "lost_writes": len(lost),
        "verified_writes": sum(user.last_write is not None for user in users),
        "actions": rows,
    }
    lines = [
        f"{args.users} users, {summary['seconds']} s, gunicorn {args.workers} workers × 4 threads, "
        f"{summary['database']}: {total} requests ({summary['requests_per_second']}/s), "
        f"{errors} errors, {len(lost)} lost writes (the last acknowledged write of "
        f"{summary['verified_writes']} writing users checked in the database)",
        "",
        "| action | requests | errors | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {r['action']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} |"
            for r in rows
        ],
    ]
    print("\n".join(lines))
    print(json.dumps(summary))
    if args.report:
        args.report.write_text(
            "# Load test\n\n`.venv/bin/python tests/bench/load_test.py`, on "
            + time.strftime("%Y-%m-%d")
            + ", this machine: "
            + f"{os.cpu_count()} cores.\n\n"
            + "\n".join(lines)
            + "\n",
            encoding="utf-8",
        )
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
