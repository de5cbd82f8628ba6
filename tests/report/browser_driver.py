"""Launching Debian's headless Chromium for the report tests and the report benchmark.

Nothing is downloaded: the browser is ``/usr/bin/chromium`` and the driver
``/usr/bin/chromedriver`` (Debian's chromium and chromium-driver packages),
overridable with ``PHRASEGUARD_CHROMIUM`` / ``PHRASEGUARD_CHROMEDRIVER``.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

CHROMIUM = os.environ.get("PHRASEGUARD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PHRASEGUARD_CHROMEDRIVER", "/usr/bin/chromedriver")
#: Where screenshots go (ignored by git).
ARTIFACTS = Path(os.environ.get("PHRASEGUARD_ARTIFACTS",
                                Path(__file__).resolve().parent / "artifacts"))
READY_TIMEOUT = 20.0


def chromium_missing() -> str | None:
    """Why Chromium cannot be driven here, or None when it can."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} not installed (apt-get install {package})"
    return None


def launch_chromium(profile: Path, *, width: int = 1400, height: int = 1000):
    """A headless Chromium that cannot reach the network or update itself."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                 f"--window-size={width},{height}",
                 # The audio test clicks a hit and expects playback to start.
                 "--autoplay-policy=no-user-gesture-required"):  # fmt: skip
        options.add_argument(flag)
    # An explicit driver path: selenium never looks one up on the network.
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def open_page(driver, path: Path) -> None:
    """Load a report from disk and wait until its script has drawn it."""
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + READY_TIMEOUT
    while driver.execute_script("return document.documentElement.getAttribute('data-ready')") \
            != "1":
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never became ready")
        time.sleep(0.05)


def screenshot(driver, name: str) -> Path:
    """Save the whole page as ``ARTIFACTS/name``; prints where."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    original = driver.get_window_size()
    driver.set_window_size(original["width"], min(max(height, 600), 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    out = ARTIFACTS / name
    driver.save_screenshot(str(out))
    driver.set_window_size(original["width"], original["height"])
    print(f"screenshot ({width}px wide): {out}")
    return out
