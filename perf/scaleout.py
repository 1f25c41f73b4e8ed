"""Scale-out: the report and reminder queues drained by one worker host, then by two.

Each "host" is a network namespace joined to this machine by a veth pair with a private /30 that
exists only here (no default route: nothing in it can reach beyond this machine). The worker in
the namespace reaches PostgreSQL and Redis at the host end's address, over the veth, as a worker
on another host reaches them over the network. They listen on 127.0.0.1 only: the kernel carries
the namespace's connections on to loopback (iptables DNAT and SNAT, rules added for the phase and
removed after), or, where iptables is missing, a ``socat`` forwarder bound to the host end's
address relays them. Each host runs one worker process.

The same work is queued for every round (new report versions of the same centers, and new
activities with the same number of due reminders), with the workers already running; the
clock stops when the last report is published and the last reminder written. The rounds run
with one worker, two, two, then one again, and the speed-up compares their summed times, so a
change in the machine's load during the phase weighs on both sides.
"""

from __future__ import annotations

import ipaddress
import shlex
import shutil
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .processes import celery_worker, purge_broker, running, start, stop, wait_for_workers
from .reminders import PER_ACTIVITY, make_due_activities, mark_due_as_sent, residents_with_phones
from .results import table

PORTS = (5432, 6379)
ORDER = (1, 2, 2, 1)  # workers per round
CANDIDATE_NETS = ("10.213.0.0/24", "10.231.77.0/24", "172.31.213.0/24", "192.168.213.0/24")


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=20)


def _free_net() -> ipaddress.IPv4Network:
    """A /24 no route of this machine touches, cut into /30s (one per host)."""
    routes = _ip("-4", "route", "show", "table", "all").stdout + _ip("-4", "addr").stdout
    used = []
    for word in routes.split():
        try:
            used.append(ipaddress.ip_network(word, strict=False))
        except ValueError:
            continue
    for candidate in CANDIDATE_NETS:
        net = ipaddress.ip_network(candidate)
        if not any(net.overlaps(u) for u in used if u.prefixlen > 0):
            return net
    raise RuntimeError("no free private /24 for the namespaces")


def _iptables(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["iptables", *args], capture_output=True, text=True, check=check, timeout=20)


NAT_TAG = "nbbench"  # every NAT rule of this phase carries this comment


def remove_nat_rules() -> None:
    """Delete every NAT rule this phase ever added, this run's or one a killed run left behind."""
    if not shutil.which("iptables"):
        return
    listed = _iptables("-t", "nat", "-S", check=False).stdout.splitlines()
    for line in listed:
        words = shlex.split(line)
        if words[:1] == ["-A"] and NAT_TAG in words:
            _iptables("-t", "nat", "-D", *words[1:], check=False)


def kernel_nat_available() -> bool:
    """iptables can write the nat table here (installed, and the kernel lets this sandbox use it)."""
    if not shutil.which("iptables"):
        return False
    return _iptables("-t", "nat", "-S", "PREROUTING", check=False).returncode == 0


class Host:
    """One network namespace with a veth pair, and what carries its traffic to the services.

    PostgreSQL and Redis listen on 127.0.0.1 only. With iptables (``nat``), the kernel rewrites
    the namespace's connections to the host end's address into connections to 127.0.0.1 (DNAT,
    with ``route_localnet`` on the veth) from 127.0.0.1 (SNAT, so the services' loopback-only
    rules admit them): no process relays the bytes, as on a real network. Without iptables a
    ``socat`` forwarder on the host end relays each port (``relay``), which costs CPU of its own.
    """

    def __init__(self, index: int, net: ipaddress.IPv4Network, forwarding: str = "nat"):
        self.index = index
        subnet = list(net.subnets(new_prefix=30))[index]
        self.host_ip, self.ns_ip = [str(a) for a in list(subnet.hosts())[:2]]
        self.ns = f"nbbench{index}"
        self.veth = f"nbb{index}h"
        self.peer = f"nbb{index}n"
        self.forwarding = forwarding
        self.forwarders = []

    def _nat_rules(self) -> list[tuple[str, ...]]:
        ports = ",".join(str(p) for p in PORTS)
        return [
            # (table chain, match..., target): the same tuple adds (-A) and deletes (-D) the rule.
            ("PREROUTING", "-i", self.veth, "-p", "tcp", "-d", self.host_ip, "-m", "multiport",
             "--dports", ports, "-m", "comment", "--comment", NAT_TAG,
             "-j", "DNAT", "--to-destination", "127.0.0.1"),
            ("INPUT", "-s", self.ns_ip, "-d", "127.0.0.1", "-p", "tcp", "-m", "multiport",
             "--dports", ports, "-m", "comment", "--comment", NAT_TAG,
             "-j", "SNAT", "--to-source", "127.0.0.1"),
        ]  # fmt: skip

    def up(self) -> None:
        self.down()
        _ip("netns", "add", self.ns)
        _ip("link", "add", self.veth, "type", "veth", "peer", "name", self.peer)
        _ip("link", "set", self.peer, "netns", self.ns)
        _ip("addr", "add", f"{self.host_ip}/30", "dev", self.veth)
        _ip("link", "set", self.veth, "up")
        _ip("netns", "exec", self.ns, "ip", "addr", "add", f"{self.ns_ip}/30", "dev", self.peer)
        _ip("netns", "exec", self.ns, "ip", "link", "set", self.peer, "up")
        _ip("netns", "exec", self.ns, "ip", "link", "set", "lo", "up")
        if self.forwarding == "nat":
            # Packets to 127.0.0.1 that arrive on the veth are dropped as martians unless allowed here
            # (for this interface only; the setting goes with it).
            Path(f"/proc/sys/net/ipv4/conf/{self.veth}/route_localnet").write_text("1\n")
            for rule in self._nat_rules():
                _iptables("-t", "nat", "-A", *rule)
            return
        for port in PORTS:
            self.forwarders.append(
                start(
                    f"socat-{self.ns}-{port}",
                    [
                        "socat",
                        f"TCP-LISTEN:{port},bind={self.host_ip},reuseaddr,fork,backlog=256",
                        f"TCP:127.0.0.1:{port},nodelay",
                    ],
                )
            )
        time.sleep(0.3)

    def down(self) -> None:
        for proc in self.forwarders:
            stop(proc)
        self.forwarders = []
        _ip("link", "del", self.veth, check=False)
        _ip("netns", "del", self.ns, check=False)

    def env(self) -> dict:
        db = settings.DATABASES["default"]
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        broker_db = settings.CELERY_BROKER_URL.rsplit("/", 1)[-1]
        cache_db = (settings.REDIS_URL or "redis://x/0").rsplit("/", 1)[-1]
        return {
            "DATABASE_URL": f"postgres://{user}{password}@{self.host_ip}:5432/{db['NAME']}",
            "CELERY_BROKER_URL": f"redis://{self.host_ip}:6379/{broker_db}",
            "REDIS_URL": f"redis://{self.host_ip}:6379/{cache_db}",
        }

    def worker(self):
        return celery_worker(
            f"bench-host{self.index}", concurrency=1, prefix=["ip", "netns", "exec", self.ns], env=self.env()
        )


def _queue_work(context, *, reports: list, residents: list[int], reminder_count: int, label: str) -> dict:
    """Queue the round's work: a new version of each center report, and the reminders of new activities."""
    from centers.notifications import reminder_hours
    from centers.tasks import send_activity_reminders_task
    from reports.models import Report
    from reports.periods import Period, Scope
    from reports.services import request_report

    now = timezone.now()
    centers = [context.world.center.pk]
    activity_ids = make_due_activities(
        count=reminder_count, now=now, centers=centers, residents=residents, label=label
    )
    period = Period.last_month()
    started = time.monotonic()
    report_ids = []
    for center in reports:
        report, _created = request_report(
            scope=Scope.for_center(center), period=period, requested_by=None, trigger=Report.Trigger.ADMIN
        )
        report_ids.append(report.pk)
    hours = reminder_hours()[0]
    for activity_id in activity_ids:
        send_activity_reminders_task.delay(activity_id, hours)
    return {
        "started": started,
        "queued_in": time.monotonic() - started,
        "report_ids": report_ids,
        "activity_ids": activity_ids,
    }


def _broker_queue_length():
    """A function giving the number of messages waiting in the default queue (one Redis LLEN)."""
    import redis

    from neighborhood.celery import app

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = app.conf.task_default_queue
    return lambda: client.llen(queue)


def _drain(work: dict, reminder_count: int, timeout: float) -> tuple[float, int, int]:
    from centers.models import Reminder
    from reports.models import Report

    deadline = work["started"] + timeout
    reports_done = reminders_done = 0
    waiting = _broker_queue_length()
    while time.monotonic() < deadline:
        # While messages wait in the broker the round is not over; counting the round's rows (40 ms
        # of the database's time) only once they are all taken keeps the poll off the workers' CPUs.
        if waiting() > 0:
            time.sleep(0.05)
            continue
        reports_done = Report.objects.filter(
            pk__in=work["report_ids"], status__in=["published", "failed"]
        ).count()
        reminders_done = Reminder.objects.filter(signup__activity_id__in=work["activity_ids"]).count()
        if reports_done >= len(work["report_ids"]) and reminders_done >= reminder_count:
            break
        time.sleep(0.05)
    failed = Report.objects.filter(pk__in=work["report_ids"], status="failed").count()
    return time.monotonic() - work["started"], reports_done - failed, reminders_done


def _hosts_up(net: ipaddress.IPv4Network, forwarding: str) -> list[Host]:
    """Both hosts, forwarding the same way: with kernel NAT, or, if the kernel refuses it for either,
    both with the socat relay (a comparison of one against two needs the same path for all)."""
    modes = ["nat", "relay"] if forwarding == "nat" and shutil.which("socat") else [forwarding]
    for mode in modes:
        remove_nat_rules()
        hosts = [Host(0, net, mode), Host(1, net, mode)]
        try:
            for host in hosts:
                host.up()
            return hosts
        except BaseException as exc:
            for host in hosts:
                host.down()
            remove_nat_rules()
            if mode == modes[-1] or not isinstance(exc, (OSError, subprocess.SubprocessError)):
                raise
    raise AssertionError("unreachable: the last mode returns or raises")


def measure_scaleout(context) -> None:
    from core.models import Center

    run, stdout = context.run, context.stdout
    forwarding = "nat" if kernel_nat_available() else "relay"
    for tool in ("ip", "socat") if forwarding == "relay" else ("ip",):  # NAT found iptables already
        if not shutil.which(tool):
            raise RuntimeError(
                f"{tool} is not installed (apt-get install {'iproute2' if tool == 'ip' else tool})"
            )
    # Sized so that one worker needs several seconds even on a fast machine: each round also pays
    # about 0.3 s that no number of workers shortens (queuing, the first pick-up, the last poll), and
    # in rounds of 3 s that alone would cap the speed-up near 1.8x.
    report_count = 40 if context.scale >= 0.5 else 6
    reminder_count = 12_000 if context.scale >= 0.5 else 1_200
    centers = list(Center.objects.filter(is_active=True, level="community").order_by("pk")[:report_count])
    residents = residents_with_phones()
    mark_due_as_sent(timezone.now())
    net = _free_net()
    hosts = _hosts_up(net, forwarding)
    rounds = []
    try:
        # One worker, two, two, one: a change in the machine's load during the phase weighs on both.
        for i, n in enumerate(ORDER):
            purge_broker()
            workers = [h.worker() for h in hosts[:n]]
            with running(*workers):
                wait_for_workers([f"bench-host{h.index}" for h in hosts[:n]])
                work = _queue_work(
                    context,
                    reports=centers,
                    residents=residents,
                    reminder_count=reminder_count,
                    label=f"基准扩展{i}-{n}-",
                )
                seconds, reports_done, reminders_done = _drain(work, reminder_count, timeout=600)
            tasks = len(work["report_ids"]) + len(work["activity_ids"])
            rounds.append(
                {
                    "workers": n,
                    "seconds": round(seconds, 2),
                    "queued_in": round(work["queued_in"], 2),
                    "reports": reports_done,
                    "reminders": reminders_done,
                    "tasks": tasks,
                    "tasks_per_second": round(tasks / seconds, 2),
                    "complete": reports_done == len(work["report_ids"]) and reminders_done >= reminder_count,
                }
            )
    finally:
        for host in hosts:
            host.down()
        remove_nat_rules()
    seconds_with = {n: sum(r["seconds"] for r in rounds if r["workers"] == n) for n in (1, 2)}
    speedup = round(seconds_with[1] / seconds_with[2], 2)
    run.sections["scaleout"] = {
        "network": str(net),
        "forwarding": hosts[0].forwarding,  # the same for both hosts
        "hosts": [
            {"namespace": h.ns, "address": h.ns_ip, "database_and_broker_at": h.host_ip} for h in hosts
        ],
        "reports_per_round": report_count,
        "reminders_per_round": reminder_count,
        "reminder_tasks_per_round": -(-reminder_count // PER_ACTIVITY),
        "worker_concurrency": 1,
        "rounds": rounds,
        "speedup": speedup,
    }
    stdout.write(
        table(
            ["workers", "reports", "reminders", "seconds", "tasks/s"],
            [
                [r["workers"], r["reports"], r["reminders"], f"{r['seconds']:.2f}", r["tasks_per_second"]]
                for r in rounds
            ],
        )
    )
    for i, r in enumerate(rounds, 1):
        run.target(
            f"scale-out: round {i}, {r['workers']} worker(s) drained the queues (tasks left)",
            0 if r["complete"] else 1,
            0,
        )
    run.target(
        "scale-out: two workers against one (throughput)", speedup, 1.7, "x", at_least=True, timing=True
    )
