"""``report --format html``: one self-contained page, opened in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stratpolicy.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import io as stdio
    from contextlib import redirect_stdout

    buffer = stdio.StringIO()
    with redirect_stdout(buffer):
        assert main(["report", "--format", "html"]) == 0
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href", "xlink:href", "action", "data", "poster"):
            if values.get(name):
                self.refs.append(str(values[name]))
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp = str(values.get("content"))


def test_the_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    refs = _Refs()
    refs.feed(html)
    # nothing to fetch: no script, stylesheet link, image, frame or font file
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(refs.tags)
    assert all(ref.startswith("#") for ref in refs.refs), refs.refs  # only in-page anchors
    assert "url(" not in html.split("</style>")[0]  # the CSS loads nothing
    assert refs.csp.startswith("default-src 'none'")
    assert refs.tags.count("svg") == 2  # the mission graph and the funding flow
    assert refs.tags.count("table") >= 7


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (Debian package chromium) absent")
def test_chromium_renders_the_page_without_network(page: Path, tmp_path: Path) -> None:
    netlog = tmp_path / "net.json"
    dom = _chromium(f"--log-net-log={netlog}", "--dump-dom", page.as_uri(), tmp=tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = re.sub(r"<[^>]+>", " ", dom.stdout)
    text = " ".join(text.split())
    for expected in (
        "National Strategic Technology Summit 2025 (Korea)",
        "As of 2026-03-13",
        "3 missions, 5 challenges, 7 instruments named by the source (10 modelled)",
        "Coverage of missions (targeted support)",
        "58 %",  # Lead the AI transformation, by hand: 3.5 / 6
        "covered only by an unallocated envelope",
        "44.1334 trillion KRW",  # 35.5 + (9.9334 - 2.3) + 1.0
        "Ministry of Economy and Finance (재정경제부)",
        "Caveat:",
        "Provenance",
    ):
        if expected == "Caveat:":
            assert 'class="caveat"' in dom.stdout
            continue
        assert expected in text, expected
    # no request for anything the page names: every URL it mentions (sources, as text)
    # is absent from the browser's network log
    mentioned = set(re.findall(r"https?://[^\s<\"']+", page.read_text(encoding="utf-8")))
    assert mentioned  # the sources are printed as text
    log = json.loads(netlog.read_text(encoding="utf-8"))
    requested = json.dumps(log.get("events", []))
    assert not [url for url in mentioned if url in requested]


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (Debian package chromium) absent")
def test_chromium_screenshot_is_a_readable_page(page: Path, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "report.png"
    done = _chromium(f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri(), tmp=tmp_path)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2400)
    # text and pictures, not a blank or error page: many colours (anti-aliased text, the
    # coloured graph), a light background, and dark ink covering a few per cent
    colours = image.getcolors(maxcolors=10**7)
    assert colours is not None and len(colours) > 500
    pixels = 1200 * 2400
    light = sum(n for n, (r, g, b) in colours if min(r, g, b) > 200)
    dark = sum(n for n, (r, g, b) in colours if max(r, g, b) < 120)
    assert light > 0.6 * pixels
    assert 0.01 * pixels < dark < 0.3 * pixels
