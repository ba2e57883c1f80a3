"""One small driver interface over three browser engines, so the customer's walk is written once.

* Chromium: Debian's ``/usr/bin/chromium`` through Playwright (as tests/browser).
* WebKit: Debian's WebKitGTK — ``/usr/bin/WebKitWebDriver`` driving MiniBrowser through Selenium's
  ``webdriver.WebKitGTK``, every path passed explicitly (selenium-manager never runs: nothing is downloaded), on
  an Xvfb screen the fixture starts (MiniBrowser has no headless mode in 2.50).
* Firefox: Debian's ``/usr/bin/firefox-esr``, headless, over WebDriver BiDi with puppeteer-core from npm
  (``firefox_bridge.mjs``; Debian has no geckodriver).

WebKitWebDriver has no log endpoint and no BiDi, so page errors and CSP violations are collected the same way in
all three: the test server puts a probe script first in every page's head (:data:`PROBE_JS`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NC_CHROMIUM", "/usr/bin/chromium")
WEBKIT_DRIVER = os.environ.get("NC_WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver")
MINIBROWSER = os.environ.get("NC_MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
FIREFOX = os.environ.get("NC_FIREFOX", "/usr/bin/firefox-esr")
XVFB = shutil.which("Xvfb") or "/usr/bin/Xvfb"
WIDTH, HEIGHT = 1280, 900

PROBE_PATH = "/__nc_probe__.js"
# First script of every page (served same-origin, so the strict CSP allows it): what the page threw, which promise
# was rejected unhandled, which script, image or stylesheet failed to load, and every CSP violation. (Not other
# links: Firefox fires `error` on a `<link rel=next>` it decided not to prefetch.)
PROBE_JS = """(() => {
  const log = (window.__ncProbe = { errors: [], csp: [] });
  window.addEventListener("error", (event) => {
    if (event instanceof ErrorEvent) {
      log.errors.push(`${event.message} @ ${event.filename}:${event.lineno}`);
    } else if (event.target && event.target.matches && event.target.matches("script, img, link[rel~=stylesheet]")) {
      log.errors.push(`failed to load ${event.target.src || event.target.href || event.target.tagName}`);
    }
  }, true);
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    log.errors.push(`unhandled rejection: ${String((reason && (reason.stack || reason.message)) || reason)}`);
  });
  document.addEventListener("securitypolicyviolation", (event) => {
    log.csp.push({ directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile });
  });
})();
"""


class Engine:
    """What the walk needs of a browser: open, run a script, click, type, reload, quit."""

    name = "engine"
    version = ""

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (run by the driver: the page's CSP does not apply)."""
        raise NotImplementedError

    def click(self, css: str) -> None:
        raise NotImplementedError

    def type(self, css: str, text: str) -> None:
        """Empty the field ``css``, then type ``text`` into it key by key."""
        raise NotImplementedError

    def enter(self, css: str) -> None:
        """Press Enter in the field ``css``: the value is finished (a change event), as a customer ends typing.

        Not Tab: a headless Firefox window never has the focus, so moving it away sends no blur and no change.
        """
        raise NotImplementedError

    def quit(self) -> None:
        raise NotImplementedError

    # --- shared on top of the primitives ---

    def js(self, body: str, *args: Any) -> Any:
        """Run ``body`` (a function body that may ``return``) with ``args`` as the array ``args``."""
        return self.evaluate(f"(() => {{ const args = {json.dumps(list(args))}; {body} }})()")

    def wait_for(self, body: str, *args: Any, timeout: float, what: str) -> Any:
        """Poll ``body`` until it returns a truthy value; fail with ``what`` and the last value after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        value: Any = None
        while True:
            value = self.js(body, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {what} not reached in {timeout:.0f} s (last: {value!r})")
            time.sleep(0.25)


class ChromiumEngine(Engine):
    """Debian's Chromium through Playwright, headless (the engine tests/browser uses)."""

    name = "chromium"

    def __init__(self, profile: Path, playwright: Any) -> None:
        from tests.browser.conftest import CHROMIUM_ARGS

        self._context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": WIDTH, "height": HEIGHT},
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
        )
        self._context.set_default_timeout(120_000)
        self._page = self._context.pages[0] if self._context.pages else self._context.new_page()
        self.version = self._context.browser.version if self._context.browser else "chromium"

    def goto(self, url: str) -> None:
        self._page.goto(url, wait_until="load")

    def reload(self) -> None:
        self._page.reload(wait_until="load")

    def evaluate(self, expression: str) -> Any:
        return self._page.evaluate(expression)

    def click(self, css: str) -> None:
        self._page.click(css)

    def type(self, css: str, text: str) -> None:
        self._page.fill(css, "")
        self._page.type(css, text)

    def enter(self, css: str) -> None:
        self._page.press(css, "Enter")

    def quit(self) -> None:
        self._context.close()


class WebKitEngine(Engine):
    """WebKitGTK's MiniBrowser through WebKitWebDriver and Selenium, on an Xvfb screen."""

    name = "webkit"

    def __init__(self, profile: Path, playwright: Any = None) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        for path in (WEBKIT_DRIVER, MINIBROWSER, XVFB):
            if not Path(path).is_file():
                raise FileNotFoundError(f"{path} is missing: `make system-deps` installs webkit2gtk-driver and xvfb")
        self._xvfb, display = _start_xvfb()
        env = {**os.environ, "DISPLAY": display, "XDG_CACHE_HOME": str(profile / "cache"),
               "XDG_DATA_HOME": str(profile / "data"), "HOME": str(profile)}  # fmt: skip
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBKIT_DRIVER, env=env, log_output=str(profile / "webdriver.log"))
        try:
            self._driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self._xvfb.kill()
            raise
        self._driver.set_page_load_timeout(120)
        self._driver.set_script_timeout(120)
        self._driver.set_window_size(WIDTH, HEIGHT)
        self.version = str(self._driver.capabilities.get("browserVersion", ""))

    def _find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self._driver.find_element(By.CSS_SELECTOR, css)

    def goto(self, url: str) -> None:
        self._driver.get(url)

    def reload(self) -> None:
        self._driver.refresh()

    def evaluate(self, expression: str) -> Any:
        return self._driver.execute_script(f"return {expression};")

    def click(self, css: str) -> None:
        element = self._find(css)
        self._driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    def type(self, css: str, text: str) -> None:
        element = self._find(css)
        element.clear()
        element.send_keys(text)

    def enter(self, css: str) -> None:
        from selenium.webdriver.common.keys import Keys

        self._find(css).send_keys(Keys.ENTER)

    def quit(self) -> None:
        try:
            self._driver.quit()
        finally:
            self._xvfb.kill()
            self._xvfb.wait(10)


class FirefoxEngine(Engine):
    """Firefox ESR, headless, over WebDriver BiDi (puppeteer-core in ``firefox_bridge.mjs``)."""

    name = "firefox"

    def __init__(self, profile: Path, playwright: Any = None) -> None:
        if not Path(FIREFOX).is_file():
            raise FileNotFoundError(f"{FIREFOX} is missing: `make system-deps` installs firefox-esr")
        bridge = Path(__file__).with_name("firefox_bridge.mjs")
        self._stderr = (profile.parent / f"{profile.name}-bridge.log").open("w")
        self._process = subprocess.Popen(
            ["node", str(bridge)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self._serial = 0
        self.version = str(self._call("launch", executable=FIREFOX, profile=str(profile), width=WIDTH, height=HEIGHT))

    def _call(self, cmd: str, **params: Any) -> Any:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._serial += 1
        self._process.stdin.write(json.dumps({"id": self._serial, "cmd": cmd, **params}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"firefox bridge ended during {cmd} (see its log beside the profile)")
        answer = json.loads(line)
        if not answer["ok"]:
            raise RuntimeError(f"firefox {cmd}: {answer['error']}")
        return answer["value"]

    def goto(self, url: str) -> None:
        self._call("goto", url=url)

    def reload(self) -> None:
        self._call("reload")

    def evaluate(self, expression: str) -> Any:
        return self._call("eval", expression=expression)

    def click(self, css: str) -> None:
        self._call("click", css=css)

    def type(self, css: str, text: str) -> None:
        self._call("type", css=css, text=text)

    def enter(self, css: str) -> None:
        self._call("key", css=css, key="Enter")

    def quit(self) -> None:
        try:
            self._call("quit")
            self._process.wait(30)
        except Exception:
            self._process.kill()
        finally:
            self._stderr.close()


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb screen on a free display number (``-displayfd``), listening on no TCP port."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT + 100}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        raise RuntimeError("Xvfb did not start")
    return process, f":{number}"


ENGINES: dict[str, Callable[[Path, Any], Engine]] = {
    "chromium": ChromiumEngine,
    "webkit": WebKitEngine,
    "firefox": FirefoxEngine,
}
