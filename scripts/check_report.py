"""Open a syscause report in headless Chromium: no console errors, no network, and a screenshot.

Usage: python scripts/check_report.py [REPORT.html] [--screenshot docs/report.png]
                                      [--browser PATH] [--height 2400] [--full-page] [--top Y]

Without REPORT, builds one from the bundled sample archive (corpora/sample/reports.csv)
with its date and unit columns, in a temporary folder. Drives Chromium over the DevTools
protocol on a pipe (``--remote-debugging-pipe``; standard library only), records console
errors, uncaught exceptions, log errors and any request that is not to the file itself or a
data: URL, prints them, and exits 1 if there are any (0 otherwise, 2 when no browser is found).
Chromium comes from the distribution (``apt-get install chromium``), not from a download.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "reports.csv"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome", "chromium-headless-shell")
WIDTH = 1280


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe (fds 3 and 4)."""

    def __init__(self, browser: str, profile: str) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: commands on fd 3, replies on fd 4
            # Copy to fresh numbers first: a pipe end may itself be fd 3 or 4.
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read_end, 3)  # dup2 copies are inheritable: they survive exec
            os.dup2(write_end, 4)

        args = [
            browser,
            "--headless=new",
            "--remote-debugging-pipe",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},900",
            "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with the sandbox
        self.proc = subprocess.Popen(
            args,
            preexec_fn=wire_fds,  # only dup2 before exec
            close_fds=False,  # fds 3 and 4 must stay open; Python's own fds close on exec
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no reply from the browser")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Call a method and wait for its reply; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> None:
        """Wait until an event named ``method`` has arrived."""
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read_message(deadline))

    def drain(self, seconds: float) -> None:
        """Collect events for a while (late console messages)."""
        import select

        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                self.events.append(self._read_message(time.monotonic() + 5))

    def close(self) -> None:
        """Ask the browser to quit, and make sure it has."""
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


def problems_in(events: list[dict[str, Any]], page_url: str) -> list[str]:
    """Console errors, exceptions, error log entries and outside requests among ``events``."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            thrown = details.get("exception", {}).get("description", "")
            found.append(f"exception: {details.get('text')} {thrown}".strip())
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            found.append(f"console.{params['type']}: {args}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            found.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url != page_url and not url.startswith(("data:", "about:")):
                found.append(f"request to {url}")
    return found


def check(
    report: Path, browser: str, screenshot: Path | None, height: int, full: bool, top: int = 0
) -> int:
    """Load ``report``; print problems and return how many there were."""
    url = report.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="syscause-chromium-") as profile:
        tools = DevTools(browser, profile)
        try:
            targets = tools.send("Target.getTargets")["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            session = tools.send(
                "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}
            )["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                tools.send(f"{domain}.enable", session=session)
            tools.send("Page.navigate", {"url": url}, session=session)
            tools.wait_for("Page.loadEventFired")
            tools.drain(1.0)
            title = tools.send(
                "Runtime.evaluate",
                {"expression": "document.title + ' | ' + document.querySelectorAll('svg').length"},
                session=session,
            )["result"]["value"]
            print(f"loaded {url}: {title} charts")
            if screenshot is not None:
                metrics = tools.send("Page.getLayoutMetrics", session=session)
                page_h = int(metrics["cssContentSize"]["height"])
                top = min(top, max(page_h - 1, 0))
                shot_h = page_h - top if full else min(page_h - top, height)
                clip = {"x": 0, "y": top, "width": WIDTH, "height": shot_h, "scale": 1}
                data = tools.send(
                    "Page.captureScreenshot",
                    {"format": "png", "clip": clip, "captureBeyondViewport": True},
                    session=session,
                )["data"]
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                screenshot.write_bytes(base64.b64decode(data))
                print(
                    f"screenshot {screenshot}: {WIDTH}x{shot_h} from y={top} of a {page_h}px page"
                )
        finally:
            tools.close()
    found = problems_in(tools.events, url)
    for problem in found:
        print(f"PROBLEM: {problem}")
    return len(found)


def sample_report(workdir: Path) -> Path:
    """Analyse the sample archive (keeping date and unit) and build its report."""
    results = workdir / "sample_results.jsonl"
    cli = [sys.executable, "-c", "from syscause.cli.main import main; main()"]
    analyse = [*cli, "analyze", str(SAMPLE), "-o", str(results), "--no-parser", "-q"]
    done = subprocess.run([*analyse, "--keep-columns", "date,unit"], capture_output=True)
    if done.returncode != 0:
        # Without --keep-columns (older analyze): analyse in-process and add the columns.
        import syscause

        with open(SAMPLE, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        pipe = syscause.load("default", use_parser=False)
        with open(results, "w", encoding="utf-8") as out:
            analysed = pipe.analyze_many((r["id"], r["text"]) for r in rows)
            for row, result in zip(rows, analysed, strict=True):
                record = result.to_dict() | {"date": row["date"], "unit": row["unit"]}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    html = workdir / "report.html"
    subprocess.run(
        [*cli, "report", str(results), "-o", str(html), "--date-column", "date",
         "--group-column", "unit", "--title", "Sample archive report", "-q"],
        check=True,
    )  # fmt: skip
    return html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", help="report.html (default: build the sample's)")
    parser.add_argument("--screenshot", default=str(ROOT / "docs" / "report.png"))
    parser.add_argument("--no-screenshot", action="store_true")
    parser.add_argument("--browser", help="Chromium binary (default: found on PATH)")
    parser.add_argument("--height", type=int, default=2400, help="screenshot height in px")
    parser.add_argument("--full-page", action="store_true", help="screenshot the whole page")
    parser.add_argument("--top", type=int, default=0, help="screenshot from this y (px)")
    args = parser.parse_args()
    browser = args.browser or next((b for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        print("no Chromium found: apt-get install chromium, or pass --browser", file=sys.stderr)
        return 2
    shot = None if args.no_screenshot else Path(args.screenshot)
    with tempfile.TemporaryDirectory(prefix="syscause-report-") as tmp:
        report = Path(args.report) if args.report else sample_report(Path(tmp))
        count = check(report, browser, shot, args.height, args.full_page, args.top)
    print(f"{count} console errors or outside requests")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
