"""Reading and writing the files the commands are given: bounded reads of regular files only,
and atomic writes (a temporary file in the same folder, then a rename) with ordinary permissions.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from symbp.errors import SymbpError

BOM = "\ufeff"


def read_text(path: str, limit: int) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes (a leading BOM dropped).

    Devices, pipes and directories are refused without reading them (`/dev/zero` would never
    end), and at most `limit` + 1 bytes are ever read, whatever the file claims its size is.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise SymbpError(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise SymbpError(f"{path}: cannot read: {kind}")
        if info.st_size > limit:
            raise SymbpError(f"{path}: file larger than {limit} bytes")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise SymbpError(f"{path}: cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise SymbpError(f"{path}: file larger than {limit} bytes")
    try:
        text = b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as err:
        raise SymbpError(f"{path}: cannot read: not UTF-8 text (byte {err.start + 1})") from None
    return text.removeprefix(BOM)


def check_writable(path: str) -> None:
    """Fail before any work when `path` cannot be written (a missing or read-only folder)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise SymbpError(f"cannot write {path}: it is a directory")
    if not folder.is_dir():
        raise SymbpError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise SymbpError(f"cannot write {path}: the folder {folder} is not writable")


def write_atomically(path: str, text: str | bytes) -> None:
    """Write `path` whole or not at all, with the mode a new file gets (or the file's own)."""
    target = Path(path)
    check_writable(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise SymbpError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, file_mode(target))
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise SymbpError(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_mode(target: Path) -> int:
    """The permissions a new file would get under the umask (mkstemp's are private), or the
    existing file's own."""
    if target.exists():
        return target.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
