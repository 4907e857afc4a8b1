"""A small DevTools-protocol client: a headless Chromium with no network, one page.

Collects console errors, uncaught exceptions, network requests and JavaScript
dialogs of the page, so tests can assert that a page loads cleanly, loads nothing
from anywhere and runs nothing from its data.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

try:
    import websocket
except ImportError:  # the `test` extra is not installed: browser tests skip
    websocket = None

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio",
    # No network: every host name fails to resolve, no proxy auto-detection.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--no-proxy-server",
    "--window-size=1400,900",
)


def find_chromium() -> str | None:
    """The Chromium binary, or None when it (or the websocket-client package) is missing."""
    if websocket is None:
        return None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class CdpError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Chromium:
    """One headless Chromium process with one page target."""

    def __init__(self, binary: str, profile: Path, *, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: close() ends the renderers too
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise CdpError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            targets = json.load(answer)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True)
        self._next_id = 0
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.loaded = False
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    # -- protocol -----------------------------------------------------------------------
    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            self.console_errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.console_errors.append(str(details.get("exception", {}).get("description", details.get("text"))))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.console_errors.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self.ws.send(json.dumps({"id": -1, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}}))
        elif method == "Page.loadEventFired":
            self.loaded = True

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        wanted = self._next_id
        self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == wanted:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message.get("result", {})  # type: ignore[no-any-return]
            if "method" in message:
                self._event(message)

    def pump(self, seconds: float) -> None:
        """Handle events for a while (e.g. late console errors)."""
        self.ws.settimeout(seconds)
        try:
            while True:
                self._event(json.loads(self.ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.ws.settimeout(self.timeout)

    # -- page -----------------------------------------------------------------------------
    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CdpError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, *, ready: str = "true") -> None:
        """Navigate to ``url`` and wait for the load event and the ``ready`` expression."""
        self.loaded = False
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + self.timeout
        while not self.loaded:
            if time.monotonic() > deadline:
                raise CdpError(f"{url} did not load")
            self.pump(0.1)
        while not self.evaluate(f"Boolean({ready})"):
            if time.monotonic() > deadline:
                raise CdpError(f"{url}: {ready} never became true")
            self.pump(0.1)

    def set_viewport(self, width: int, height: int) -> None:
        """Make the page's window ``width`` x ``height`` CSS pixels, at one device pixel each."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def on_new_document(self, source: str) -> None:
        """Run ``source`` in every page this tab opens from now on, before the page's own scripts."""
        self.send("Page.addScriptToEvaluateOnNewDocument", source=source)

    def allow_downloads(self, directory: Path) -> None:
        """Save the page's downloads into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        self.send("Page.setDownloadBehavior", behavior="allow", downloadPath=str(directory))

    def wait_for_file(self, path: Path, seconds: float = 20.0) -> bytes:
        """The bytes of ``path`` once a download has written it whole."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if path.exists() and not path.with_name(path.name + ".crdownload").exists() and path.stat().st_size:
                return path.read_bytes()
            self.pump(0.1)
        raise CdpError(f"{path} was not downloaded")

    def mouse(self, kind: str, x: float, y: float, *, clicks: int = 0, button: str = "left") -> None:
        """A mouse event at page coordinates (``kind``: mouseMoved, mousePressed, mouseReleased)."""
        params: dict[str, Any] = {"type": kind, "x": x, "y": y}
        if kind != "mouseMoved":
            params.update(button=button, clickCount=clicks)
        else:
            params.update(button=button if clicks else "none")
        self.send("Input.dispatchMouseEvent", **params)

    def click(self, x: float, y: float, *, count: int = 1) -> None:
        """``count`` clicks at (x, y), as a user's (press and release for each)."""
        self.mouse("mouseMoved", x, y)
        for i in range(1, count + 1):
            self.mouse("mousePressed", x, y, clicks=i)
            self.mouse("mouseReleased", x, y, clicks=i)

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait()

    def _signal(self, sig: int) -> None:
        """Signal the process group of the browser this object started (and only it)."""
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
