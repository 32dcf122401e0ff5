"""Check a report page in a headless Chromium: what a reader opening ``index.html`` would see.

:func:`check_report` loads the page from ``file://`` with Playwright driving the system's
Chromium (Debian's ``chromium`` package; no browser is downloaded), and reports the console
errors, uncaught page errors, failed requests, images that did not load (``naturalWidth`` 0)
and local links whose target does not exist (or, within the page, whose ``#id`` does not),
and writes a full-page screenshot. Lazy images are asked to load before they are checked.

The browser is found by :func:`find_chromium`: the ``NEWS_CHROMIUM`` environment variable,
else ``/usr/bin/chromium``, else ``chromium`` / ``chromium-browser`` on ``PATH``. Without the
``playwright`` package (the ``[test]`` extra) or a Chromium, :class:`BrowserUnavailable` says
which is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

#: Where :func:`find_chromium` looks, in order, after ``NEWS_CHROMIUM``.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
#: Milliseconds allowed for the page (and every image on it) to load.
LOAD_TIMEOUT_MS = 30_000

# Resolves once every <img> has finished, loaded or failed (lazy images asked to load now),
# or after the given milliseconds.
_IMAGES_SETTLED = """(timeout) => {
    document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; });
    const pending = Array.from(document.images).filter(i => !i.complete).map(i =>
        new Promise(done => { i.addEventListener('load', done);
                              i.addEventListener('error', done); }));
    return Promise.race([Promise.all(pending),
                         new Promise(done => setTimeout(done, timeout))]); }"""
_IMAGES = """() => Array.from(document.images).map(i => ({
    src: i.getAttribute('src'), url: i.currentSrc || i.src,
    loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth}))"""
# Links, and for a link into this page (#id) whether an element of that id or name exists.
_LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => {
    const here = a.hash && a.origin === location.origin && a.pathname === location.pathname;
    const id = here ? decodeURIComponent(a.hash.slice(1)) : '';
    return {href: a.getAttribute('href'), url: a.href,
            anchor_missing: here && !document.getElementById(id)
                            && document.getElementsByName(id).length === 0}; })"""


class BrowserUnavailable(RuntimeError):
    """No headless browser to check a page with (the message says what is missing)."""


def find_chromium() -> str | None:
    """The Chromium executable to drive (see the module docstring), or ``None``."""
    override = os.environ.get("NEWS_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for candidate in CHROMIUM_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


def _launch(playwright):
    executable = find_chromium()
    if executable is None:
        where = os.environ.get("NEWS_CHROMIUM") or ", ".join(CHROMIUM_CANDIDATES)
        raise BrowserUnavailable(
            f"no Chromium executable (looked for {where}); install Debian's chromium "
            "(apt-get install chromium) or set NEWS_CHROMIUM to a Chromium binary")
    from playwright.sync_api import Error

    try:
        return playwright.chromium.launch(executable_path=executable, headless=True)
    except Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise BrowserUnavailable(f"Chromium at {executable} did not start: {first_line}") \
            from error


def _local_path(url: str) -> Path | None:
    """The file a ``file:`` URL names (query and fragment dropped), ``None`` for other URLs."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return Path(url2pathname(parts.path))  # percent-decoded


def check_report(index_html: Path, screenshot: Path) -> dict:
    """Open ``index_html`` in headless Chromium and return what is wrong with it.

    Keys: ``page`` (its URL), ``console_errors`` (console messages of type error, then
    uncaught page errors, as text), ``failed_requests`` (``{"url", "error"}``), ``images``
    (the number of ``<img>``), ``broken_images`` (``{"src", "url"}`` of images with no
    pixels), ``local_links`` (the number of links to ``file:`` targets, relative ones resolved
    against the page's folder), ``broken_links`` (``{"href", "path", "missing"}`` of local
    links whose target file does not exist, ``missing="file"``, or that point into this page
    at an id no element has, ``missing="anchor"``), ``external_links`` (the number of other
    links, not followed), ``screenshot`` (the full-page PNG written) and ``ok`` (no error,
    failure or broken item).

    Raises :class:`FileNotFoundError` when ``index_html`` does not exist and
    :class:`BrowserUnavailable` when playwright or Chromium is missing.
    """
    index_html = Path(index_html).resolve()
    if not index_html.is_file():
        raise FileNotFoundError(f"no report page at {index_html}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserUnavailable(
            "the playwright package is not installed (it is in the [test] extra: "
            "pip install -e '.[test]')") from None
    screenshot = Path(screenshot)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    console_errors: list[str] = []
    page_errors: list[str] = []
    failed_requests: list[dict] = []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            page = browser.new_page()
            page.on("console", lambda message: console_errors.append(message.text)
                    if message.type == "error" else None)
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on("requestfailed", lambda request: failed_requests.append(
                {"url": request.url, "error": request.failure or "failed"}))
            page.goto(index_html.as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
            page.evaluate(_IMAGES_SETTLED, LOAD_TIMEOUT_MS)
            images = page.evaluate(_IMAGES)
            links = page.evaluate(_LINKS)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    broken_images = [{"src": i["src"], "url": i["url"]} for i in images if not i["loaded"]]
    local_links, broken_links, external = 0, [], 0
    for link in links:
        target = _local_path(link["url"])
        if target is None:
            external += 1
            continue
        local_links += 1
        if not target.exists():
            broken_links.append({"href": link["href"], "path": str(target), "missing": "file"})
        elif link["anchor_missing"]:
            broken_links.append({"href": link["href"], "path": str(target),
                                 "missing": "anchor"})
    errors = console_errors + page_errors
    return {
        "page": index_html.as_uri(),
        "console_errors": errors,
        "failed_requests": failed_requests,
        "images": len(images),
        "broken_images": broken_images,
        "local_links": local_links,
        "broken_links": broken_links,
        "external_links": external,
        "screenshot": str(screenshot),
        "ok": not (errors or failed_requests or broken_images or broken_links),
    }
