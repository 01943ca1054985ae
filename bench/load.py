"""Requests per second under load: the platform served by gunicorn, driven at 32 connections.

Builds (or reuses) a demo SQLite database in a temp folder, starts gunicorn on 127.0.0.1 and a
free port, logs in through the log-in form, issues an API token, then drives each page for a
bounded time and prints req/s, p50, p99 and errors per page, with the ratio against
bench/load_baseline.json. Uses wrk when installed, otherwise a threaded Python client (which
itself costs CPU, so its figures are lower). Everything runs on loopback and stops by itself.

    .venv/bin/python bench/load.py --workers 2 --connections 32 --seconds 10
    .venv/bin/python bench/load.py --record-baseline   # writes the baseline file
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASELINE = Path(__file__).resolve().parent / "load_baseline.json"
HOST = "127.0.0.1"

# (label, path, how it authenticates: "session", "token" or "none")
PAGES = [
    ("home", "/", "session"),
    ("suggestions list", "/suggestions/", "session"),
    ("plans list", "/plans/", "session"),
    ("deputies roster", "/deputies/", "session"),
    ("API suggestions list", "/api/v1/suggestions/", "token"),
    ("API deputies list", "/api/v1/deputies/", "token"),
    ("public suggestions page", "/suggestions/public/", "none"),
]


def prepare_database(var: Path, username: str) -> str:
    """Migrate, build the demo once, collect static files; returns a fresh API token key."""
    os.environ["RENDA_VAR_DIR"] = str(var)
    os.environ["RENDA_DATABASE_URL"] = f"sqlite:///{var}/load.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from renda.core.models import User
    from renda.core.tokens import issue_token

    call_command("migrate", verbosity=0)
    call_command("demo", if_empty=True, verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    _, key = issue_token(user=User.objects.get(username=username), name="bench/load.py")
    return key


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    cmd = [str(gunicorn), "renda.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    cmd += ["--log-level", "warning", "--error-logfile", str(log)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn stopped at start, see {log}")
        try:
            status, _, _ = request(port, "GET", "/login/")
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def request(port: int, method: str, path: str, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read()
    finally:
        conn.close()


def cookies_of(headers) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(port: int, username: str, password: str) -> str:
    """The log-in form with its CSRF token; returns the Cookie header of the session."""
    status, headers, body = request(port, "GET", "/login/")
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    )
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _ = request(
        port,
        "POST",
        "/login/",
        headers={
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/login/",
        },
        body=form,
    )
    jar.update(cookies_of(headers))
    if status != 302 or "sessionid" not in jar:
        sys.exit(f"log-in as {username} failed (HTTP {status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


WRK_SCRIPT = """
local headers_json = os.getenv("BENCH_HEADERS")
for k, v in string.gmatch(headers_json, "([^\\t\\n]+)\\t([^\\n]+)") do wrk.headers[k] = v end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\\"requests\\": %d, \\"us\\": %d, \\"p50\\": %d, \\"p99\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def drive_wrk(port, path, headers, connections, seconds, script) -> dict:
    env = {**os.environ, "BENCH_HEADERS": "".join(f"{k}\t{v}\n" for k, v in headers.items())}
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
        + ["-s", script, f"http://{HOST}:{port}{path}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    r = json.loads(line[6:])
    return {
        "rps": r["requests"] / (r["us"] / 1e6),
        "p50_ms": r["p50"] / 1000,
        "p99_ms": r["p99"] / 1000,
        "errors": r["errors"],
        "requests": r["requests"],
    }


def drive_python(port, path, headers, connections, seconds, max_requests=100_000) -> dict:
    """A keep-alive connection per thread; stops at the time limit or the request cap."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + errors[0] >= max_requests:
                    break
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
                ok = False
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors[0] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": pick(0.5) if latencies else 0.0,
        "p99_ms": pick(0.99) if latencies else 0.0,
        "errors": errors[0],
        "requests": len(latencies) + errors[0],
    }


def python_calls(get, count: int = 5) -> float:
    """Python function calls a request makes: unlike time, it does not change with what else
    runs on the machine, so it shows repeated work even on a busy shared machine."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(lambda: [get() for _ in range(count)])
    return pstats.Stats(profiler).total_calls / count


def measure_in_process(username: str, key: str, count: int, profile: str) -> dict[str, dict]:
    """CPU time per request with Django's test client, no server, no network: steadier than
    req/s on a shared machine. Optionally cProfiles one page (label) and prints its top calls."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from renda.demo.accounts import DEMO_PASSWORD

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clients = {"session": Client(), "token": Client(), "none": Client()}
    assert clients["session"].login(username=username, password=DEMO_PASSWORD)
    extra = {"token": {"HTTP_AUTHORIZATION": f"Bearer {key}"}}
    results = {}
    for label, path, how in PAGES:
        client, headers = clients[how], extra.get(how, {})
        for _ in range(5):  # warm caches and imports
            assert client.get(path, **headers).status_code == 200, (label, path)
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *a, log=queries: log.append(sql) or execute(sql, *a)
        ):
            client.get(path, **headers)
        profiler = cProfile.Profile() if label == profile else None
        if profiler:
            profiler.enable()
        started = time.process_time()
        for _ in range(count):
            client.get(path, **headers)
        cpu_ms = (time.process_time() - started) / count * 1000
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        results[label] = {
            "cpu_ms": cpu_ms,
            "queries": len(queries),
            "kcalls": python_calls(lambda: client.get(path, **headers)) / 1000,  # noqa: B023
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10, help="per page, at most 120")
    parser.add_argument("--user", default="daibiaoshi", help="demo account of the logged-in pages")
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "renda-load"))
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--record-baseline", action="store_true")
    parser.add_argument(
        "--in-process", type=int, metavar="N", help="no server: CPU ms a request over N requests"
    )
    parser.add_argument("--profile", metavar="PAGE", help="with --in-process: cProfile one page")
    args = parser.parse_args()
    seconds = max(1, min(args.seconds, 120))
    var = Path(args.var)
    var.mkdir(parents=True, exist_ok=True)
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))

    key = prepare_database(var, args.user)
    from renda.demo.accounts import DEMO_PASSWORD

    if args.in_process:
        report_in_process(measure_in_process(args.user, key, args.in_process, args.profile), args)
        return
    port = free_port()
    proc = start_gunicorn(port, args.workers, var / "gunicorn.log")
    results: dict[str, dict] = {}
    try:
        auth = {
            "session": {"Cookie": log_in(port, args.user, DEMO_PASSWORD)},
            "token": {"Authorization": f"Bearer {key}"},
            "none": {},
        }
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(WRK_SCRIPT)
        for label, path, how in PAGES:
            status, _, _ = request(port, "GET", path, headers=auth[how])
            if status != 200:  # a redirect to the log-in page would measure the wrong thing
                sys.exit(f"{label} {path}: HTTP {status}, expected 200")
            drive = drive_wrk if use_wrk else drive_python
            extra = (f.name,) if use_wrk else ()
            results[label] = drive(port, path, auth[how], args.connections, seconds, *extra)
        os.unlink(f.name)
    finally:
        proc.terminate()
        proc.wait(30)

    client = "wrk" if use_wrk else "python threads"
    print(
        f"\n{args.workers} gunicorn workers, {args.connections} connections, {seconds} s a page, "
        f"client {client}, SQLite, user {args.user}\n"
    )
    baseline = json.loads(BASELINE.read_text())["pages"] if BASELINE.exists() else {}
    print("| page | req/s | p50 ms | p99 ms | errors | vs baseline req/s |")
    print("|---|---|---|---|---|---|")
    for label, r in results.items():
        base = baseline.get(label, {}).get("rps")
        ratio = f"{r['rps'] / base:.2f}× (was {base:.0f})" if base else "–"
        print(
            f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} "
            f"| {r['errors']} | {ratio} |"
        )
    if args.record_baseline:
        meta = {"workers": args.workers, "connections": args.connections, "seconds": seconds}
        meta |= {"client": client, "recorded": time.strftime("%Y-%m-%d")}
        meta["load_average"] = round(os.getloadavg()[0], 1)  # how busy the machine was
        pages = {k: {m: round(v, 1) for m, v in r.items()} for k, r in results.items()}
        data = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        data |= {**meta, "pages": pages}
        BASELINE.write_text(json.dumps(data, ensure_ascii=False, indent=1))
        print(f"\nbaseline written to {BASELINE.name}")
    print(
        "\nmedian req/s over pages:", round(statistics.median(r["rps"] for r in results.values()))
    )


def report_in_process(results: dict[str, dict], args) -> None:
    print(f"\nin-process, {args.in_process} requests a page, user {args.user}, SQLite\n")
    saved = json.loads(BASELINE.read_text()).get("in_process", {}) if BASELINE.exists() else {}
    print("| page | CPU ms a request | Python calls (k) | queries | vs baseline CPU, calls |")
    print("|---|---|---|---|---|")
    for label, r in results.items():
        base = saved.get(label, {})
        ratio = "–"
        if base:
            ratio = f"{base['cpu_ms'] / r['cpu_ms']:.2f}× (was {base['cpu_ms']:.1f} ms)"
            if base.get("kcalls"):
                ratio += f", {base['kcalls'] / r['kcalls']:.2f}× (was {base['kcalls']:.0f}k)"
        print(f"| {label} | {r['cpu_ms']:.1f} | {r['kcalls']:.0f} | {r['queries']} | {ratio} |")
    if args.record_baseline:
        data = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        data["in_process"] = {k: {m: round(v, 1) for m, v in r.items()} for k, r in results.items()}
        BASELINE.write_text(json.dumps(data, ensure_ascii=False, indent=1))
        print(f"\nbaseline written to {BASELINE.name}")


if __name__ == "__main__":
    main()
