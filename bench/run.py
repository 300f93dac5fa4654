#!/usr/bin/env python3
"""The benchmark harness: builds musdes in release mode, generates (or reuses) data at a
scale, starts the server, and drives it with wrk on loopback — every page beside the same
bytes served as a static file by the same process, then writes from logged-in sessions.

    python3 bench/run.py                      # kabupaten scale on SQLite (about 10 minutes)
    python3 bench/run.py --scale small        # a quick run
    python3 bench/run.py --database-url postgres://…   # the same on PostgreSQL

Results: a Markdown table on stdout and in target/bench/results-<backend>-<scale>.md.
Nothing here asserts a target: it measures, and says how far each figure is from it.
"""

import argparse
import hashlib
import gzip
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    # villages, proposals
    "smoke": (3, 2_000),
    "small": (30, 10_000),
    "kabupaten": (300, 100_000),
}
PASSWORD = "sawah-hijau-beban-2026"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def musdes(binary, url, *args, env=None):
    e = dict(os.environ, DATABASE_URL=url, **(env or {}))
    return subprocess.run([binary, *args], env=e, capture_output=True, text=True, check=True)


def prepare_data(binary, url, scale, work):
    """Generates the scale once per database; later runs reuse it (and its facts)."""
    # One facts file per database: the facts describe what was generated into it.
    tag = hashlib.sha1(url.encode()).hexdigest()[:8]
    facts_file = work / f"facts-{scale}-{tag}.json"
    if facts_file.exists():
        log(f"reusing the generated data ({facts_file})")
        return json.loads(facts_file.read_text()), None
    villages, proposals = SCALES[scale]
    started = time.monotonic()
    musdes(binary, url, "generate", "--villages", str(villages), "--proposals", str(proposals),
           "--facts", str(facts_file))
    seconds = time.monotonic() - started
    log(f"generated {villages} villages and {proposals} proposals in {seconds:.1f} s")
    return json.loads(facts_file.read_text()), seconds


class Server:
    def __init__(self, binary, url, static_dir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=url, MUSDES_BENCH_STATIC_DIR=str(static_dir),
                   RUST_LOG="warn")
        started = time.monotonic()
        # The server's log goes to a file: a pipe nobody reads would fill and stall it.
        self.log = open(static_dir.parent / f"{static_dir.name}-server.log", "w")
        self.proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{self.port}"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"the server stopped; see {self.log.name}")
                time.sleep(0.005)
        self.ready_ms = (time.monotonic() - started) * 1000

    def peak_rss_mb(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def session(base):
    """Logs in as the benchmark resident; returns (cookie header, csrf token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/masuk").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": "bench@musdes.test",
                                   "password": PASSWORD, "next": "/"}).encode()
    try:
        opener.open(base + "/masuk", body)
    except urllib.error.HTTPError as e:
        if e.code != 303:
            raise
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    req = urllib.request.Request(base + "/", headers={"Cookie": cookie})
    page = urllib.request.urlopen(req).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return cookie, token


def fetch(url, cookie=None, compressed=False):
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if compressed:
        headers["Accept-Encoding"] = "gzip"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        return r.status, r.read()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds, connections, cookie=None, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
           "-H", "Accept-Encoding: gzip"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    lat = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "requests": total,
            "errors": int(bad.group(1)) if bad else 0}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=SCALES, default="kabupaten")
    ap.add_argument("--database-url", default=None,
                    help="postgres://… (an empty database); default: SQLite under target/bench/")
    ap.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--binary", default=os.environ.get("MUSDES_BIN"),
                    help="use this musdes binary instead of building in release mode")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    work = ROOT / "target" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    binary = args.binary
    if not binary:
        log("building in release mode")
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target" / "release" / "musdes")
    backend = "postgres" if args.database_url else "sqlite"
    url = args.database_url or f"sqlite://{work / f'{args.scale}.db'}"
    if backend == "postgres":
        work = work / "postgres"
        work.mkdir(exist_ok=True)
    db_file = None if args.database_url else work / f"{args.scale}.db"
    pristine = db_file.with_suffix(".pristine") if db_file else None
    if pristine and pristine.exists():
        # Every run starts from the data as generated: the write runs of earlier runs
        # would otherwise grow the very pages measured.
        for extra in ("-wal", "-shm"):
            Path(str(db_file) + extra).unlink(missing_ok=True)
        shutil.copyfile(pristine, db_file)
    musdes(binary, url, "migrate")
    facts, generate_seconds = prepare_data(binary, url, args.scale, work)
    if pristine and not pristine.exists():
        musdes(binary, url, "backup", "--out", str(pristine))
    big, number, meeting = facts["big_village"], facts["big_proposal"], facts["big_meeting"]
    # The resident the logged-in pages and the writes use (adding it again changes nothing).
    musdes(binary, url, "user", "add", "--email", "bench@musdes.test", "--name", "Warga Uji Beban",
           "--role", "resident", "--village", big, env={"MUSDES_PASSWORD": PASSWORD})

    static_dir = Path(tempfile.mkdtemp(prefix="musdes-static-"))
    server = Server(binary, url, static_dir)
    log(f"ready on /healthz {server.ready_ms:.0f} ms after start")
    cookie, token = session(server.base)
    pages = [
        ("village portal", f"/desa/{big}", None),
        ("proposals, page 1", f"/desa/{big}/usulan", None),
        ("proposals, bidang 02 + level consult", f"/desa/{big}/usulan?bidang=02&tingkat=consult", None),
        ("proposals, full-text q", f"/desa/{big}/usulan?q=irigasi", None),
        ("proposals, page 400", f"/desa/{big}/usulan?page=400", None),
        ("one proposal (50 feedback, 20 events)", f"/desa/{big}/usulan/{number}", None),
        ("meeting with 80 attendees", f"/desa/{big}/musyawarah/{meeting}", None),
        ("its berita acara", f"/desa/{big}/musyawarah/{meeting}/berita-acara", None),
        ("statistik", f"/desa/{big}/statistik", None),
        ("JSON list", f"/api/v1/desa/{big}/usulan", None),
        ("one proposal, logged in", f"/desa/{big}/usulan/{number}", cookie),
        ("new-proposal form, logged in", f"/desa/{big}/usulan/baru", cookie),
    ]
    rows = []
    for i, (name, path, who) in enumerate(pages):
        status, raw = fetch(server.base + path, who)
        _, packed = fetch(server.base + path, who, compressed=True)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        twin = f"page{i}.json" if path.startswith("/api/") else f"page{i}.html"
        (static_dir / twin).write_bytes(raw)
        log(f"measuring {name}")
        live = wrk(server.base + path, args.seconds, args.connections, who)
        limit = wrk(f"{server.base}/bench-static/{twin}", args.seconds, args.connections, who)
        rows.append({"page": name, "path": path, "logged_in": bool(who), "bytes": len(raw),
                     "gzip_bytes": len(packed), "live": live, "static": limit,
                     "ratio": live["rps"] / limit["rps"] if limit["rps"] else 0.0})

    # Writes from logged-in sessions (one per wrk thread), with real CSRF tokens.
    sessions = [session(server.base) for _ in range(2)]
    writes = []
    for name, path, body in [
        ("proposal submission", f"/desa/{big}/usulan",
         "title=Usulan+uji+beban+{n}&problem=Masalah+yang+diuji+dengan+beban+tulis&bidang=02&confirmed=1"),
        ("feedback", f"/desa/{big}/usulan/{number}/tanggapan",
         "kind=comment&body=Tanggapan+uji+beban+{n}"),
    ]:
        script = work / "write.lua"
        script.write_text(LUA.replace("PATH", path).replace("BODY", body)
                          .replace("SESSIONS", ", ".join(
                              "{" + f'"{c}", "{t}"' + "}" for c, t in sessions)))
        log(f"measuring {name}")
        reader = subprocess.Popen(
            ["wrk", "-t1", "-c8", f"-d{args.seconds}s", "--latency", "-H", "Accept-Encoding: gzip",
             f"{server.base}/desa/{big}"], stdout=subprocess.PIPE, text=True)
        result = wrk(server.base + path, args.seconds, args.connections, script=script)
        out = reader.communicate()[0]
        read_p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result["read_p99_during"] = float(read_p99.group(1)) * UNITS[read_p99.group(2)] if read_p99 else None
        writes.append((name, result))
    rss = server.peak_rss_mb()
    server.stop()
    shutil.rmtree(static_dir, ignore_errors=True)

    report = render(args, backend, facts, generate_seconds, server.ready_ms, rows, writes, rss)
    out_file = ROOT / "target" / "bench" / f"results-{backend}-{args.scale}.md"
    out_file.write_text(report)
    (out_file.with_suffix(".json")).write_text(json.dumps(
        {"rows": rows, "writes": writes, "rss_mb": rss, "ready_ms": server.ready_ms,
         "generate_seconds": generate_seconds}, indent=2))
    print(report)
    log(f"written to {out_file}")


LUA = r"""
local sessions = { SESSIONS }
local counter = 0
function setup(thread)
  thread:set("id", tostring(math.random(100000, 999999)))
end
function request()
  counter = counter + 1
  local s = sessions[(counter % #sessions) + 1]
  local body = "csrf_token=" .. s[2] .. "&" .. string.gsub("BODY", "{n}", id .. "-" .. counter)
  return wrk.format("POST", "PATH", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = s[1],
  }, body)
end
"""


def ms(v):
    return "—" if v is None else f"{v:.2f}"


def render(args, backend, facts, generate_seconds, ready_ms, rows, writes, rss):
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "?")
    lines = [
        f"## {backend}, {args.scale} scale — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), server and wrk on the same cores; "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s on loopback, gzip accepted. "
        f"Big village `{facts['big_village']}` holds {facts['villages'][0][1] if facts['villages'] else '?'} proposals.",
        "",
        f"- Generated in: {'reused' if generate_seconds is None else f'{generate_seconds:.1f} s'}",
        f"- Ready on `/healthz`: {ready_ms:.0f} ms after start (target 500 ms)",
        f"- Peak server memory (VmHWM): {rss:.1f} MB (target under 80 MB)",
        "",
        "| page | req/s | p50 ms | p99 ms | static req/s | static p99 ms | share of static | bytes (gzip / raw) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        target = 0.20 if r["logged_in"] else 0.50
        mark = "" if r["ratio"] >= target else f" (target {target:.0%})"
        p99 = r["live"]["p99"]
        p99_note = "" if r["logged_in"] or p99 is None or p99 < 25 else " (target 25)"
        errors = f", {r['live']['errors']} errors" if r["live"]["errors"] else ""
        lines.append(
            f"| {r['page']} | {r['live']['rps']:.0f}{errors} | {ms(r['live']['p50'])} | {ms(p99)}{p99_note} | "
            f"{r['static']['rps']:.0f} | {ms(r['static']['p99'])} | {r['ratio']:.0%}{mark} | "
            f"{r['gzip_bytes']:,} / {r['bytes']:,} |")
    lines += ["", "| write (logged in, CSRF) | req/s | p50 ms | p99 ms | non-3xx | portal read p99 ms meanwhile |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, w in writes:
        lines.append(f"| {name} | {w['rps']:.0f} | {ms(w['p50'])} | {ms(w['p99'])} | {w['errors']} | "
                     f"{ms(w.get('read_p99_during'))} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
