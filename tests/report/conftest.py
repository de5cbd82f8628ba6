"""Headless Chromium for the browser tests of the HTML reports.

The browser tests (``@pytest.mark.browser``) drive Debian's
``/usr/bin/chromium`` through ``/usr/bin/chromedriver`` with selenium; nothing
is downloaded. They are skipped, with the reason, only when Chromium or its
driver is not installed. Screenshots are kept in ``tests/report/artifacts/``
(ignored by git), or in ``$PHRASEGUARD_ARTIFACTS`` when set; each test prints
the path of the one it saved.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_driver import chromium_missing, launch_chromium


@pytest.fixture(scope="session")
def chromium(tmp_path_factory) -> Iterator:
    reason = chromium_missing()
    if reason:
        print(f"browser tests skipped: {reason}")
        pytest.skip(reason)
    try:
        import selenium  # noqa: F401
    except ModuleNotFoundError:
        pytest.fail("the browser tests need selenium: pip install selenium")
    driver = launch_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()
