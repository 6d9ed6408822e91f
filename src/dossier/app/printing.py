"""A PDF of the dossier, printed from its HTML by a headless Chromium, when one is installed.

Chromium is looked for as ``$DOSSIER_CHROMIUM``, else ``chromium``, ``chromium-browser``
or ``google-chrome`` on the PATH. It runs with a throwaway profile, without network
services, and with a time limit; the HTML it prints loads nothing (``ui.document``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..domain.errors import DossierError

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_S = 60


def find_chromium() -> str | None:
    """The Chromium to print with: ``$DOSSIER_CHROMIUM`` if set, else the first on PATH."""
    chosen = os.environ.get("DOSSIER_CHROMIUM", "").strip()
    if chosen:
        return shutil.which(chosen)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def no_chromium(target: Path) -> DossierError:
    return DossierError(
        "printing {path} needs a headless Chromium, and none was found (chromium, "
        "chromium-browser, google-chrome, or $DOSSIER_CHROMIUM); export .html instead and "
        "print it from a browser",
        path=target,
    )


def html_to_pdf(document: str, target: Path) -> bytes:
    """The PDF Chromium prints of ``document`` (A4, as its print style asks)."""
    browser = find_chromium()
    if browser is None:
        raise no_chromium(target)
    with tempfile.TemporaryDirectory(prefix="dossier-print-") as folder:
        work = Path(folder)  # private: mkdtemp makes it 0700
        page = work / "dossier.html"
        page.write_text(document, encoding="utf-8")
        pdf = work / "dossier.pdf"
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={work / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT_S,
                check=False,
                env={**os.environ, "HOME": str(work)},
            )
        except subprocess.TimeoutExpired:
            raise DossierError(
                "Chromium did not print {path} within {seconds} seconds; export .html "
                "instead and print it from a browser",
                path=target,
                seconds=TIMEOUT_S,
            ) from None
        except OSError as exc:
            raise DossierError(
                "cannot run {browser}: {reason}; export .html instead and print it from a browser",
                browser=browser,
                reason=exc.strerror or str(exc),
            ) from None
        data = pdf.read_bytes() if pdf.exists() else b""
    if not data.startswith(b"%PDF"):
        raise DossierError(
            "{browser} printed no PDF of {path}; export .html instead and print it from a browser",
            browser=browser,
            path=target,
        )
    return data
