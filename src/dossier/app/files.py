"""Writing a file the user asked for (``export -o``, ``show --export``, ``import
--report``): private, whole, and never in place of something the user did not mean to
replace. One writer for all three, so that they follow one rule.

A client's dossier is personal data: the file is created 0600 whatever the umask. An
existing file is refused unless ``--force``; a symbolic link is refused even then (the
data would land wherever it points). The bytes go to a temporary file beside the target
first and get the target's name only once complete and on the disk, so a full disk or
a Ctrl-C never leaves half a dossier under the name.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from ..domain.errors import DossierError


def refuse_existing(path: Path, force: bool) -> None:
    """Refuse, before any work, a target that is a symbolic link, a folder or something
    else than a regular file, or an existing file without ``force``."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DossierError(
            "cannot write {path}: {reason}", path=path, reason=exc.strerror or str(exc)
        ) from None
    if stat.S_ISLNK(status.st_mode):
        raise DossierError(
            "{path} is a symbolic link; dossier does not write through one: give the "
            "file's own name",
            path=path,
        )
    if stat.S_ISDIR(status.st_mode):
        raise DossierError("{path} is a folder; give a file name", path=path)
    if not stat.S_ISREG(status.st_mode):
        raise DossierError("{path} is not a regular file; give another file name", path=path)
    if not force:
        raise DossierError("{path} already exists; pass --force to replace it", path=path)


def write_private(
    path: Path, data: bytes | Iterable[str | bytes], *, force: bool, bom: bool = False
) -> None:
    """Write ``data`` (bytes, or chunks of text written as UTF-8, with a byte-order mark
    first for ``bom``) to ``path``, readable by the user alone (0600).

    An existing file is replaced only with ``force`` (and a symbolic link never), in one
    step: readers see the old file or the new one, never a mix.
    """
    refuse_existing(path, force)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(partial, flags, 0o600)
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask or the folder's default ACL
            if bom:
                _write_all(fd, "\ufeff".encode())
            for chunk in [data] if isinstance(data, bytes) else data:
                _write_all(fd, chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        _publish(partial, path, force)
    except OSError as exc:
        raise _cannot(path, exc) from None
    finally:
        with suppress(OSError):
            partial.unlink()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _publish(partial: Path, path: Path, force: bool) -> None:
    """Give the finished file its name: over an existing regular file with ``force``
    (checked again here, just before), else only if the name is still free."""
    if force:
        refuse_existing(path, True)  # became a link or a folder meanwhile: refused
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)  # fails if the name was taken meanwhile: nothing clobbered
    except FileExistsError:
        raise DossierError("{path} already exists; pass --force to replace it", path=path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        # A file system without hard links (some FUSE and FAT mounts): rename, after
        # checking once more that the name is free.
        refuse_existing(path, False)
        os.replace(partial, path)


def _cannot(path: Path, exc: OSError) -> DossierError:
    if exc.errno == errno.ENOSPC:
        return DossierError(
            "the disk is full: {path} could not be written; free some space and try again",
            path=path,
        )
    return DossierError("cannot write {path}: {reason}", path=path, reason=exc.strerror or str(exc))
