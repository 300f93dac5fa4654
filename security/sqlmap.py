#!/usr/bin/env python3
"""Runs Debian's sqlmap against a musdes server on loopback, bounded in time, and
reports what it finds (nothing is expected).

    python3 security/sqlmap.py --binary target/debug/musdes            # CI (about 3 minutes)
    python3 security/sqlmap.py --binary target/release/musdes --level 5 --risk 3 --seconds 1800

It starts `musdes serve --demo` on a throwaway SQLite database, logs in as the demo
resident, and points sqlmap at the routes that read parameters into queries: the
proposal list and its open data (search, filters, sort, paging), similar proposals, the
kabupaten comparison (sort, dates), the verification code, the login form and the
proposal form (with the session's CSRF token). Each target gets at most --seconds.
The report goes to target/security/sqlmap.md; the exit status is 1 if sqlmap found an
injection point, or could not test a target.
"""

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "majasari"
RESIDENT = ("warga@majasari.desa.id", "majasari-demo-2026")
FOUND = re.compile(r"identified the following injection point|is vulnerable|appears to be injectable", re.I)
CLEAN = "all tested parameters do not appear to be injectable"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def token(opener, url):
    page = opener.open(url).read().decode()
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=str(ROOT / "target/debug/musdes"))
    ap.add_argument("--seconds", type=int, default=25, help="most time per target")
    ap.add_argument("--level", type=int, default=1)
    ap.add_argument("--risk", type=int, default=1)
    args = ap.parse_args()

    out = ROOT / "target/security"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="musdes-sqlmap."))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=f"sqlite://{work}/scan.db", RUST_LOG="warn")
    server = subprocess.Popen([args.binary, "serve", "--demo", "--bind", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        t = token(opener, f"{base}/masuk")
        opener.open(f"{base}/masuk", urllib.parse.urlencode(
            {"csrf_token": t, "email": RESIDENT[0], "password": RESIDENT[1], "next": "/"}).encode())
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        assert "musdes_session" in cookie, "logged in"

        d = f"/desa/{SLUG}"
        meetings = opener.open(f"{base}/api/v1{d}/musyawarah").read().decode()
        code = re.search(r'"verification_code":"([A-Z0-9-]+)"', meetings).group(1)
        targets = [
            ("proposal list", [f"-u", f"{base}{d}/usulan?q=jalan&bidang=02&status=submitted&tingkat=1&dusun=Dusun+I&sort=baru&page=1&per_page=20"]),
            ("open data list", ["-u", f"{base}/api/v1{d}/usulan?q=jalan&bidang=02&status=submitted&sort=dukungan&page=1"]),
            ("similar proposals", ["-u", f"{base}{d}/usulan/mirip?title=jalan+desa&problem=rusak"]),
            ("kabupaten comparison", ["-u", f"{base}/statistik?from=2026-01-01&to=2026-12-31&sort=nama"]),
            ("verification code", ["-u", f"{base}/verifikasi?kode={code}", "--ignore-code", "429"]),
            ("login form", ["-u", f"{base}/masuk", "--data", "csrf_token=x&email=a%40desa.id&password=salah-sekali-2026&next=%2F",
                            "-p", "email,password,next", "--csrf-token", "csrf_token", "--csrf-url", f"{base}/masuk"]),
            ("proposal form", ["-u", f"{base}{d}/usulan", "--data",
                               "csrf_token=x&title=Jalan+desa&problem=Jalan+rusak+parah&bidang=02&location=RT+02&estimated_cost=1000000&confirmed=1",
                               "-p", "title,problem,bidang,location,estimated_cost",
                               "--csrf-token", "csrf_token", "--csrf-url", f"{base}{d}/usulan/baru"]),
        ]
        rows, found_any = [], False
        for name, target in targets:
            threads = "1" if "--csrf-url" in target else "2"
            cmd = ["sqlmap", *target, "--batch", "--cookie", cookie, "--level", str(args.level), "--risk", str(args.risk),
                   "--technique", "BEUST", "--time-sec", "1", "--threads", threads, "--disable-coloring",
                   "--flush-session", "--output-dir", str(work / "sqlmap")]
            started = time.monotonic()
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds)
                text, verdict = p.stdout + p.stderr, None
            except subprocess.TimeoutExpired as e:
                text = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
                verdict = f"stopped after {args.seconds} s"
            found = bool(FOUND.search(text))
            requests = len(re.findall(r"testing '", text))
            critical = [l for l in text.splitlines() if "[CRITICAL]" in l and CLEAN not in l]
            if found:
                verdict = "INJECTION FOUND"
            elif verdict is not None:
                verdict += ", nothing found"
            elif CLEAN in text:
                verdict = "nothing injectable"
            else:
                # sqlmap could not test the target: that is not a clean result.
                verdict = "NOT TESTED: " + (critical[0].split("]", 2)[-1].strip() if critical else "no verdict")
                found = True
            found_any |= found
            (out / f"sqlmap-{name.replace(' ', '-')}.log").write_text(text)
            rows.append((name, verdict, requests, time.monotonic() - started))
            print(f"sqlmap {name}: {verdict} ({requests} techniques tried, {time.monotonic() - started:.0f} s)", flush=True)
        report = ["# sqlmap against musdes on loopback", "",
                  f"sqlmap level {args.level}, risk {args.risk}, techniques BEUST, at most {args.seconds} s per target.", "",
                  "| target | verdict | techniques tried | seconds |", "|---|---|---|---|"]
        report += [f"| {n} | {v} | {r} | {s:.0f} |" for n, v, r, s in rows]
        (out / "sqlmap.md").write_text("\n".join(report) + "\n")
        return 1 if found_any else 0
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
