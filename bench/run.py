#!/usr/bin/env python3
"""The benchmark harness: builds musdes in release mode, generates (or reuses) data at a
scale, starts the server, and drives it with wrk on loopback — every page beside the same
bytes served as a static file by the same process, then writes from logged-in sessions.

    python3 bench/run.py                      # kabupaten scale on SQLite (about 10 minutes)
    python3 bench/run.py --scale small        # a quick run
    python3 bench/run.py --database-url postgres://…   # the same on PostgreSQL
    python3 bench/run.py --database-url postgres://… --servers 2   # two servers behind nginx
    python3 bench/run.py --growth 1000,10000,100000,1000000   # one village growing (SQLite)

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
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


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


def wait_healthy(base, proc, log_name):
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"{proc.args[0]} stopped; see {log_name}")
            time.sleep(0.005)


class Server:
    def __init__(self, binary, url, static_dir, behind_proxy=False, env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=url, MUSDES_BENCH_STATIC_DIR=str(static_dir),
                   RUST_LOG="warn", **(env or {}))
        if behind_proxy:
            env["MUSDES_TRUST_PROXY"] = "1"
        started = time.monotonic()
        # The server's log goes to a file: a pipe nobody reads would fill and stall it.
        self.log = open(static_dir.parent / f"{static_dir.name}-server-{self.port}.log", "w")
        self.proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{self.port}"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        wait_healthy(self.base, self.proc, self.log.name)
        self.ready_ms = (time.monotonic() - started) * 1000

    def peak_rss_mb(self, field="VmHWM"):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(field + r":\s+(\d+) kB", status).group(1)) / 1024

    def reset_peak(self):
        """Starts the peak (VmHWM) afresh from the memory held now (Linux: clear_refs 5)."""
        Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Nginx:
    """Debian's nginx in front of several servers: round robin, keep-alive upstream
    connections, the client's address passed on as X-Forwarded-For."""

    def __init__(self, ports):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        d = Path(tempfile.mkdtemp(prefix="musdes-nginx-"))
        d.chmod(0o755)
        self.dir = d
        upstream = "\n".join(f"    server 127.0.0.1:{p};" for p in ports)
        temp = "\n".join(f"  {k}_temp_path {d}/{k};" for k in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (d / "nginx.conf").write_text(f"""
worker_processes auto;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
{temp}
  upstream musdes {{
{upstream}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      proxy_pass http://musdes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
  }}
}}
""")
        self.proc = subprocess.Popen([NGINX, "-p", str(d), "-c", str(d / "nginx.conf"),
                                      "-e", str(d / "error.log"), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_healthy(self.base, self.proc, d / "error.log")

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The accounts the logged-in pages and the writes use, each in the big village.
RESIDENT = ("bench@musdes.test", "Warga Uji Beban", "resident")
OFFICIAL = ("bench-official@musdes.test", "Sekretaris Uji Beban", "official")
FACILITATOR = ("bench-pendamping@musdes.test", "Pendamping Uji Beban", "facilitator")


def session(base, email=RESIDENT[0]):
    """Logs in (the benchmark resident by default); returns (cookie header, csrf token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/masuk").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email,
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


def shared_session_check(servers, village):
    """Stateless servers: a session opened on one is known to every other, and a proposal
    submitted through one is on every other's list at once."""
    cookie, token = session(servers[0].base)
    for other in servers[1:]:
        _, page = fetch(other.base + "/", cookie)
        if "Warga Uji Beban" not in page.decode():
            raise SystemExit(f"the session from {servers[0].base} is unknown to {other.base}")
    title = f"Usulan lintas server {time.time_ns()}"
    body = urllib.parse.urlencode({"csrf_token": token, "title": title, "bidang": "02",
                                   "problem": "Masalah yang diuji lewat dua server", "confirmed": "1"})
    req = urllib.request.Request(servers[0].base + f"/desa/{village}/usulan", body.encode(),
                                 headers={"Cookie": cookie})
    try:
        urllib.request.build_opener(NoRedirect).open(req)
        raise SystemExit("the proposal submission was not answered 303")
    except urllib.error.HTTPError as e:
        if e.code != 303:
            raise SystemExit(f"the proposal submission was answered {e.code}")
    for other in servers[1:]:
        _, page = fetch(other.base + f"/desa/{village}/usulan", cookie)
        if title not in page.decode():
            raise SystemExit(f"{other.base} does not list the proposal submitted on {servers[0].base}")
    log(f"{len(servers)} servers share sessions and data")


def post(base, who, path, fields, may_refuse=False):
    """One form POST from a logged-in session; returns the 303's location (None when
    `may_refuse` and the form was refused with 422)."""
    cookie, token = who
    body = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
    req = urllib.request.Request(base + path, body, headers={"Cookie": cookie})
    try:
        urllib.request.build_opener(NoRedirect).open(req)
    except urllib.error.HTTPError as e:
        if e.code == 303:
            return e.headers["Location"]
        if e.code == 422 and may_refuse:
            return None
        raise SystemExit(f"POST {path}: {e.code}")
    raise SystemExit(f"POST {path} was not answered 303")


def meeting_being_recorded(base, who, village, numbers):
    """A Musdes opened today by the facilitator, with ten proposals on its agenda and 80
    people on its attendance list: the page a facilitator reloads while recording."""
    today = time.strftime("%Y-%m-%dT%H:%M", time.localtime())
    where = post(base, who, f"/desa/{village}/musyawarah",
                 {"kind": "musdes", "title": "Musdes uji beban", "scheduled_at": today,
                  "place": "Balai desa"})
    meeting = urllib.parse.urlparse(where).path
    # The newest proposals that may go on a Musdes agenda (one that ended may not).
    added = 0
    for n in numbers:
        if added < 10 and post(base, who, f"{meeting}/agenda", {"proposal": n}, may_refuse=True):
            added += 1
    for i in range(80):
        post(base, who, f"{meeting}/hadir", {"name": f"Peserta {i + 1}", "gender": "LP"[i % 2],
                                              "group": "", "role": "warga"})
    return meeting


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
    ap.add_argument("--growth", metavar="SIZES",
                    help="instead: the list and detail pages of one village holding each of these "
                         "numbers of proposals, e.g. 1000,10000,100000,1000000 (SQLite)")
    ap.add_argument("--servers", type=int, default=1,
                    help="run this many servers behind nginx (PostgreSQL only)")
    ap.add_argument("--no-lighthouse", action="store_true",
                    help="skip the browser-side figures (Lighthouse, mobile profile)")
    args = ap.parse_args()
    lighthouse_js = ROOT / "bench" / "node_modules" / "lighthouse"
    if not args.no_lighthouse and not args.growth and not lighthouse_js.exists():
        raise SystemExit("Lighthouse is missing: (cd bench && npm ci), or pass --no-lighthouse")
    if args.servers > 1 and not args.database_url:
        raise SystemExit("several servers share one PostgreSQL: give --database-url postgres://…")
    if args.servers > 1 and not Path(NGINX).exists():
        raise SystemExit("nginx is missing: apt-get install nginx-light")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    work = ROOT / "target" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    binary = args.binary
    if not binary:
        log("building in release mode")
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target" / "release" / "musdes")
    if args.growth:
        return growth(args, binary, work)
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
    # The people the logged-in pages and the writes use (adding one again changes nothing).
    for email, name, role in (RESIDENT, OFFICIAL, FACILITATOR):
        musdes(binary, url, "user", "add", "--email", email, "--name", name, "--role", role,
               "--village", big, env={"MUSDES_PASSWORD": PASSWORD})

    static_dir = Path(tempfile.mkdtemp(prefix="musdes-static-"))
    servers = [Server(binary, url, static_dir, behind_proxy=args.servers > 1)
               for _ in range(args.servers)]
    log(f"ready on /healthz {servers[0].ready_ms:.0f} ms after start")
    proxy = Nginx([s.port for s in servers]) if args.servers > 1 else None
    # Everything below goes to `server`: the one server, or nginx in front of several.
    server = proxy or servers[0]
    if proxy:
        shared_session_check(servers, big)
    cookie, token = session(server.base)
    official = session(server.base, OFFICIAL[0])[0]
    facilitator = session(server.base, FACILITATOR[0])
    numbers = re.findall(rf'href="/desa/{big}/usulan/(\d{{4}}-\d{{3}})"',
                         fetch(f"{server.base}/desa/{big}/usulan")[1].decode())
    recording = meeting_being_recorded(server.base, facilitator, big, numbers)
    pages = [
        ("village portal", f"/desa/{big}", None),
        ("proposals, page 1", f"/desa/{big}/usulan", None),
        ("proposals, bidang 02 + level consult", f"/desa/{big}/usulan?bidang=02&tingkat=consult", None),
        ("proposals, full-text q", f"/desa/{big}/usulan?q=irigasi", None),
        ("proposals, page 400", f"/desa/{big}/usulan?page=400", None),
        (f"one proposal ({facts.get('big_proposal_feedback', 'most')} feedback)",
         f"/desa/{big}/usulan/{number}", None),
        ("meeting with 80 attendees", f"/desa/{big}/musyawarah/{meeting}", None),
        ("its berita acara", f"/desa/{big}/musyawarah/{meeting}/berita-acara", None),
        ("statistik", f"/desa/{big}/statistik", None),
        ("JSON list", f"/api/v1/desa/{big}/usulan", None),
        ("one proposal, logged-in resident", f"/desa/{big}/usulan/{number}", cookie),
        ("new-proposal form, logged-in resident", f"/desa/{big}/usulan/baru", cookie),
        ("proposals, page 1, logged-in official", f"/desa/{big}/usulan", official),
        ("one proposal, logged-in official", f"/desa/{big}/usulan/{number}", official),
        ("Perlu tindakan, logged-in official", f"/desa/{big}/tindakan", official),
        ("meeting being recorded (80 attending), logged-in facilitator", recording,
         facilitator[0]),
    ]
    # The planning year (generated since the RKP Desa is walked as the law writes it):
    # this year's plan, set, with every candidate of the big village entered; its files and
    # Perdes; next year's draft, computed on each request; the RPJM Desa; the calendar.
    year = facts.get("plan_year")
    if year:
        pages += [
            (f"RKP Desa {year}, set", f"/desa/{big}/rkp/{year}", None),
            (f"RKP Desa {year}, XLSX", f"/desa/{big}/rkp/{year}.xlsx", None),
            (f"Rancangan Perdes {year}", f"/desa/{big}/rkp/{year}/perdes", None),
            (f"DU-RKP {year}", f"/desa/{big}/rkp/{year}/du-rkp", None),
            (f"RKP Desa {year + 1}, draft", f"/desa/{big}/rkp/{year + 1}", None),
            ("RPJM Desa", f"/desa/{big}/rpjm", None),
            ("equity by dusun and group", f"/desa/{big}/pemerataan", None),
            (f"planning calendar {year + 1}", f"/desa/{big}/kalender/{year + 1}", None),
        ]
    rows = []

    def measure(target, name, path, who, kept=True):
        status, raw = fetch(target.base + path, who)
        _, packed = fetch(target.base + path, who, compressed=True)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        twin = f"page{len(rows)}.json" if path.startswith("/api/") else f"page{len(rows)}.html"
        (static_dir / twin).write_bytes(raw)
        log(f"measuring {name}")
        live = wrk(target.base + path, args.seconds, args.connections, who)
        limit = wrk(f"{target.base}/bench-static/{twin}", args.seconds, args.connections, who)
        log(f"  peak memory so far {max(x.peak_rss_mb() for x in servers):.1f} MB")
        rows.append({"page": name, "path": path, "logged_in": bool(who), "kept": kept,
                     "bytes": len(raw), "gzip_bytes": len(packed), "live": live, "static": limit,
                     "ratio": live["rps"] / limit["rps"] if limit["rps"] else 0.0})

    for name, path, who in pages:
        measure(server, name, path, who)
    # The first reader after a change: public pages from a server that keeps none.
    if not proxy:
        cold = Server(binary, url, static_dir, env={"MUSDES_PAGE_CACHE_SECONDS": "0", "MUSDES_KEEP_RECORDS": "0"})
        for name, path in [
            ("village portal", f"/desa/{big}"),
            ("proposals, page 1", f"/desa/{big}/usulan"),
            ("proposals, full-text q", f"/desa/{big}/usulan?q=irigasi"),
            ("one proposal", f"/desa/{big}/usulan/{number}"),
        ]:
            measure(cold, f"{name}, nothing kept", path, None, kept=False)
        cold.stop()

    browser = None if args.no_lighthouse else lighthouse(server.base, [
        ("village portal", f"/desa/{big}"),
        ("proposals, page 1", f"/desa/{big}/usulan"),
        ("one proposal", f"/desa/{big}/usulan/{number}"),
        ("berita acara", f"/desa/{big}/musyawarah/{meeting}/berita-acara"),
    ])

    # Writes from logged-in sessions (one per wrk thread), with real CSRF tokens.
    sessions = [session(server.base) for _ in range(2)]
    writes = []
    # The write run's own peak, apart from the big planning pages read before it.
    rss = max(s.peak_rss_mb() for s in servers)
    for s in servers:
        s.reset_peak()
    for name, path, body in [
        ("proposal submission", f"/desa/{big}/usulan",
         "title=Usulan+uji+beban+{n}&problem=Masalah+yang+diuji+dengan+beban+tulis&bidang=02"
         "&confirmed=1&kunci_kirim={n}"),
        ("feedback", f"/desa/{big}/usulan/{number}/tanggapan",
         "kind=comment&body=Tanggapan+uji+beban+{n}&kunci_kirim={n}"),
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
        log(f"  peak memory so far {max(x.peak_rss_mb() for x in servers):.1f} MB")
        writes.append((name, result))
    rss = (rss, max(s.peak_rss_mb() for s in servers))
    if proxy:
        proxy.stop()
    for s in servers:
        s.stop()
    shutil.rmtree(static_dir, ignore_errors=True)

    report = render(args, backend, facts, generate_seconds, servers[0].ready_ms, rows, writes, rss,
                    browser)
    suffix = f"-{args.servers}-servers" if args.servers > 1 else ""
    out_file = ROOT / "target" / "bench" / f"results-{backend}-{args.scale}{suffix}.md"
    out_file.write_text(report)
    (out_file.with_suffix(".json")).write_text(json.dumps(
        {"rows": rows, "writes": writes, "rss_mb": rss, "ready_ms": servers[0].ready_ms,
         "generate_seconds": generate_seconds, "lighthouse": browser}, indent=2))
    print(report)
    log(f"written to {out_file}")


def lighthouse(base, pages):
    """Lighthouse's mobile profile on each page, one after another, on an idle server."""
    log("measuring in the browser (Lighthouse, mobile profile)")
    out = subprocess.run(["node", str(ROOT / "bench" / "lighthouse.mjs"), base,
                          *[f"{name}={path}" for name, path in pages]],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def growth(args, binary, work):
    """The same pages of one village as it grows: each size is its own database, generated
    once (one village holding every proposal) and reused by later runs."""
    sizes = [int(s) for s in args.growth.split(",")]
    gdir = work / "growth"
    gdir.mkdir(exist_ok=True)
    static_dir = Path(tempfile.mkdtemp(prefix="musdes-growth-"))
    measured = {}
    for n in sizes:
        db = gdir / f"growth-{n}.db"
        url = f"sqlite://{db}"
        facts_file = gdir / f"facts-{n}.json"
        if not facts_file.exists():
            for extra in ("", "-wal", "-shm"):
                Path(str(db) + extra).unlink(missing_ok=True)
            musdes(binary, url, "migrate")
            started = time.monotonic()
            musdes(binary, url, "generate", "--villages", "1", "--proposals", str(n),
                   "--facts", str(facts_file))
            log(f"generated one village with {n} proposals in {time.monotonic() - started:.1f} s")
        musdes(binary, url, "migrate")
        facts = json.loads(facts_file.read_text())
        big, number = facts["big_village"], facts["big_proposal"]
        # Nothing kept: what the first reader after a change waits for, at each size.
        server = Server(binary, url, static_dir, env={"MUSDES_PAGE_CACHE_SECONDS": "0", "MUSDES_KEEP_RECORDS": "0"})
        try:
            for name, path in GROWTH_PAGES:
                path = path.format(v=big, p=number)
                status, _ = fetch(server.base + path)
                if status != 200:
                    raise SystemExit(f"{path}: {status}")
                log(f"{n} proposals: measuring {name}")
                measured.setdefault(name, {})[n] = wrk(server.base + path, args.seconds,
                                                       args.connections)
        finally:
            server.stop()
    shutil.rmtree(static_dir, ignore_errors=True)
    report = render_growth(args, sizes, measured)
    out_file = work / "results-growth.md"
    out_file.write_text(report)
    out_file.with_suffix(".json").write_text(json.dumps(
        {name: {str(n): r for n, r in by_size.items()} for name, by_size in measured.items()},
        indent=2))
    print(report)
    log(f"written to {out_file}")


# The pages whose cost must not grow with the village: {v} the village, {p} the proposal
# with 50 feedback entries and 20 events.
GROWTH_PAGES = [
    ("village portal", "/desa/{v}"),
    ("proposals, page 1", "/desa/{v}/usulan"),
    ("proposals, bidang 02 + level consult", "/desa/{v}/usulan?bidang=02&tingkat=consult"),
    ("proposals, full-text q", "/desa/{v}/usulan?q=irigasi"),
    ("proposals, page 40", "/desa/{v}/usulan?page=40"),
    ("JSON list", "/api/v1/desa/{v}/usulan"),
    ("one proposal (50 feedback, 20 events)", "/desa/{v}/usulan/{p}"),
]


def render_growth(args, sizes, measured):
    base = 10_000 if 10_000 in sizes else sizes[0]
    top = sizes[-1]
    head = " | ".join(f"{n:,}" for n in sizes)
    lines = [
        f"## Growth, sqlite — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"One village holding N proposals (generated, every status and level), nothing kept "
        f"(MUSDES_PAGE_CACHE_SECONDS=0, MUSDES_KEEP_RECORDS=0); "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s on loopback, gzip accepted. "
        f"Each cell: p50 ms / p99 ms. Target: p50 at {top:,} at most 1.5× p50 at {base:,}.",
        "",
        f"| page | {head} | p50 {top:,} ÷ {base:,} |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for name, by_size in measured.items():
        cells = " | ".join(f"{ms(by_size[n]['p50'])} / {ms(by_size[n]['p99'])}" for n in sizes)
        ratio = by_size[top]["p50"] / by_size[base]["p50"] if by_size[base]["p50"] else 0.0
        mark = "" if ratio <= 1.5 else " (target 1.5×)"
        lines.append(f"| {name} | {cells} | {ratio:.2f}×{mark} |")
    return "\n".join(lines) + "\n"


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


def render(args, backend, facts, generate_seconds, ready_ms, rows, writes, rss, browser):
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "?")
    lines = [
        f"## {backend}, {args.scale} scale"
        f"{f', {args.servers} servers behind nginx' if args.servers > 1 else ''}"
        f" — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), server and wrk on the same cores; "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s on loopback, gzip accepted. "
        f"Big village `{facts['big_village']}` holds {facts['villages'][0][1] if facts['villages'] else '?'} proposals.",
        "",
        f"- Generated in: {'reused' if generate_seconds is None else f'{generate_seconds:.1f} s'}",
        f"- Ready on `/healthz`: {ready_ms:.0f} ms after start (target 500 ms)",
        f"- Peak server memory (VmHWM{', the larger server' if args.servers > 1 else ''}): "
        f"{rss[0]:.1f} MB while reading every page; {rss[1]:.1f} MB during the write run "
        f"(target under 80 MB)",
        "",
        "| page | req/s | p50 ms | p99 ms | static req/s | static p99 ms | share of static | bytes (gzip / raw) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        # Kept public pages: half the limit; logged-in pages: a fifth; nothing kept: a tenth.
        target = 0.20 if r["logged_in"] else 0.50 if r.get("kept", True) else 0.10
        mark = "" if r["ratio"] >= target else f" (target {target:.0%})"
        p99 = r["live"]["p99"]
        p99_note = "" if p99 is None or p99 < 25 else " (target 25)"
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
    if browser:
        lines += ["", "Lighthouse 12, mobile profile (simulated slow 4G, 4× CPU slowdown), Debian's chromium. "
                  "Decidim's CI budget: FCP 2,000 ms, LCP 2,500 ms; the target is half of each and a score of 95.",
                  "", "| page | performance | FCP ms | LCP ms | TBT ms | CLS | bytes transferred |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, b in browser.items():
            lines.append(
                f"| {name} | {b['score']}{'' if b['score'] >= 95 else ' (target 95)'} | "
                f"{b['fcp_ms']:.0f}{'' if b['fcp_ms'] <= 1000 else ' (target 1,000)'} | "
                f"{b['lcp_ms']:.0f}{'' if b['lcp_ms'] <= 1250 else ' (target 1,250)'} | "
                f"{b['tbt_ms']:.0f} | {b['cls']:.3f} | {b['transfer_bytes']:,} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
