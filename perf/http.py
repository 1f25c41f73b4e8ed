"""HTTP: gunicorn with 2 workers on loopback, under ``wrk`` with 50 connections for a bounded time.

The page and its minimal view are loaded alternately in halves (page, minimal, minimal, page),
so that both see the same machine; the ratio is the minimal view's requests a second over the
page's. Errors are socket errors plus answers other than 2xx/3xx. Without ``wrk`` (not
installable here), a bounded Python load generator with the same connections does the work.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from django.urls import reverse

from .processes import running, start
from .results import table

CONNECTIONS = 50
WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(port: int):
    return start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "neighborhood.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
    )


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {base}/healthz within {timeout:.0f} s")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    result = {"requests": 0, "seconds": 0.0, "errors": 0, "non_2xx_3xx": 0, "socket_errors": {}}
    if m := re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output):
        result["requests"] = int(m.group(1))
        result["seconds"] = _ms(m.group(2) + m.group(3)) / 1000
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["socket_errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True)
        )
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx_3xx"] = int(m.group(1))
    for label, p in (("p50_ms", "50%"), ("p99_ms", "99%")):
        if m := re.search(rf"^\s*{re.escape(p)}\s+([\d.]+(?:us|ms|s|m))", output, re.M):
            result[label] = _ms(m.group(1))
    result["errors"] = result["non_2xx_3xx"] + sum(result["socket_errors"].values())
    return result


def run_wrk(url: str, seconds: int) -> dict:
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency", url]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=False)
    result = parse_wrk(out.stdout)
    result["tool"] = "wrk"
    return result


def run_python_load(url: str, seconds: int) -> dict:
    """Fallback: ``CONNECTIONS`` threads, each a keep-alive client, for ``seconds`` (bounded)."""
    host, port, path = re.match(r"http://([^:/]+):(\d+)(.*)", url).groups()
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "latencies": []}

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        done = errors = 0
        latencies = []
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=10)
            except OSError:
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
            latencies.append((time.perf_counter() - t0) * 1000)
            done += 1
        conn.close()
        with lock:
            stats["requests"] += done
            stats["errors"] += errors
            stats["latencies"] += latencies

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    lat = sorted(stats["latencies"]) or [0.0]
    return {
        "requests": stats["requests"],
        "seconds": elapsed,
        "errors": stats["errors"],
        "p50_ms": lat[len(lat) // 2],
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "tool": "python threads",
    }


def load(url: str, seconds: int) -> dict:
    return run_wrk(url, seconds) if shutil.which("wrk") else run_python_load(url, seconds)


def _combine(parts: list[dict]) -> dict:
    requests = sum(p["requests"] for p in parts)
    seconds = sum(p["seconds"] for p in parts)
    return {
        "requests": requests,
        "seconds": round(seconds, 1),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "errors": sum(p["errors"] for p in parts),
        "p50_ms": round(max(p.get("p50_ms", 0.0) for p in parts), 1),
        "p99_ms": round(max(p.get("p99_ms", 0.0) for p in parts), 1),
        "tool": parts[0]["tool"],
        "parts": parts,
    }


def measure_http(context) -> None:
    run, stdout = context.run, context.stdout
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    targets = {
        "activity_list@anonymous": (
            reverse("centers:activity_list"),
            reverse("bench_minimal", args=["activity_list@anonymous"]),
        ),
    }
    half = max(1, context.http_seconds // 2)
    results = {}
    with running(gunicorn(port)):
        wait_until_up(base)
        for key, (page, minimal) in targets.items():
            for url in (page, minimal):
                for _ in range(20):
                    urllib.request.urlopen(base + url, timeout=30).read()
            page_parts, minimal_parts = [], []
            for url, parts in (
                (page, page_parts),
                (minimal, minimal_parts),
                (minimal, minimal_parts),
                (page, page_parts),
            ):
                parts.append(load(base + url, half))
            results[key] = {"page": _combine(page_parts), "minimal": _combine(minimal_parts), "url": page}
    rows = []
    for key, r in results.items():
        ratio = round(r["minimal"]["rps"] / r["page"]["rps"], 2) if r["page"]["rps"] else None
        r["ratio"] = ratio
        rows.append(
            [
                key,
                r["page"]["rps"],
                r["page"]["errors"],
                r["page"]["p99_ms"],
                r["minimal"]["rps"],
                r["minimal"]["errors"],
                f"{ratio}x",
            ]
        )
        run.target(
            f"HTTP {key}: errors at {CONNECTIONS} connections",
            r["page"]["errors"] + r["minimal"]["errors"],
            0,
        )
    run.sections["http"] = {
        "connections": CONNECTIONS,
        "gunicorn_workers": WORKERS,
        "seconds_each": half * 2,
        "results": results,
    }
    stdout.write(
        table(["page", "req/s", "errors", "p99 ms", "minimal req/s", "minimal errors", "ratio"], rows)
    )
