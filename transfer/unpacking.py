"""An export as a platform hands it over: a folder, or the .zip it was downloaded as.

A .zip is checked before anything is read from it: no absolute names, no ``..``, no links,
at most ``MAX_FILES`` files and ``MAX_TOTAL_BYTES`` unpacked in all (from the sizes the
archive declares, and again while reading, since a header can lie), and no member that
unpacks to hundreds of times its packed size. Nothing is written to disk.
"""

import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_FILES = 50_000
MAX_TOTAL_BYTES = 2 * 1024**3  # a newsletter of 2,000 issues is a few hundred MB
MAX_FILE_BYTES = 200 * 1024**2
MAX_RATIO = 200  # text compresses 5 to 20 times; a zip bomb by thousands


class UnsafeArchive(Exception):
    """Why a .zip is refused, said so the author can act on it."""


class Export:
    """The files of an export, by their path inside it ("posts/123.html")."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._zip = None
        if self.path.is_file():
            self._zip = zipfile.ZipFile(self.path)  # BadZipFile: not an archive
            self._names = self._check(self._zip)
        else:
            root = self.path.resolve()
            self._names = {
                file.relative_to(root).as_posix(): file
                for file in sorted(root.rglob("*"))
                if file.is_file() and file.resolve().is_relative_to(root)
            }

    @staticmethod
    def _check(archive):
        members = archive.infolist()
        if len(members) > MAX_FILES:
            raise UnsafeArchive(f"over {MAX_FILES:,} files")
        names, total = {}, 0
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or ":" in info.filename:
                raise UnsafeArchive(f"a file named {info.filename!r} would land outside the export")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UnsafeArchive(f"{info.filename!r} is a link")
            if info.is_dir():
                continue
            total += info.file_size
            if info.file_size > MAX_FILE_BYTES:
                raise UnsafeArchive(
                    f"{info.filename!r} unpacks to over {MAX_FILE_BYTES // 2**20} MB"
                )
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > 1024**2 and ratio > MAX_RATIO:
                raise UnsafeArchive(f"{info.filename!r} unpacks to {ratio:,} times its packed size")
            names[name.as_posix()] = info
        if total > MAX_TOTAL_BYTES:
            raise UnsafeArchive(f"it unpacks to over {MAX_TOTAL_BYTES // 2**30} GB")
        return names

    def names(self):
        return list(self._names)

    def find(self, name):
        """The path of the shallowest file called ``name`` ("posts.csv"), or None."""
        matches = [n for n in self._names if PurePosixPath(n).name == name]
        return min(matches, key=lambda n: (n.count("/"), n), default=None)

    def read(self, name) -> bytes:
        entry = self._names[name]
        if self._zip is None:
            if entry.stat().st_size > MAX_FILE_BYTES:
                raise UnsafeArchive(f"{name!r} is over {MAX_FILE_BYTES // 2**20} MB")
            return entry.read_bytes()
        with self._zip.open(entry) as f:
            data = f.read(entry.file_size + 1)
        if len(data) > entry.file_size:
            raise UnsafeArchive(f"{name!r} unpacks to more than the archive says")
        return data

    def read_text(self, name):
        return self.read(name).decode("utf-8-sig", errors="replace")

    def close(self):
        if self._zip is not None:
            self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_export(path, report):
    """The export at ``path``, or None with the reason it was refused in ``report``."""
    try:
        return Export(path)
    except (UnsafeArchive, zipfile.BadZipFile) as error:
        report.problem(str(path), f"refused: {error}")
        return None
