"""The one way dialogtool touches a file: reads that cannot hang, writes that are atomic.

Every file the tool writes — coded notes, caches and indexes, md/csv output, xlsx, docx,
PNG, qdpx, qdc — goes through `write_bytes` (or `write_text` / `write_with` on top of it):

- atomic: the data goes to a temporary file in the target's folder, then `os.replace`, so
  an interrupted run (Ctrl-C, kill -9) leaves the old file or the new one, never half of one;
- shared like any file: the temporary file is created 0600 (as `mkstemp` makes them), so it
  is given 0666 minus the umask before the rename (a 0600 export surprised a colleague once);
- no fsync: it cost more than all of YAML writing on large runs, and the rename is what
  protects against interruption; after a power cut, re-run `code`;
- a failure (disk full, read-only folder, permission) is a DialogtoolError naming the file,
  so the command line shows one line, never a traceback.

`replace_if_unchanged` is the write for files people edit too (coded notes): it replaces
the file only if it still holds the bytes the caller read, so a reviewer's save that lands
while `code` works on the file is never overwritten.

Every file the tool reads goes through `read_bytes` (or `read_text`): it opens without
blocking and checks that the file is a regular one before reading, so a FIFO, a device
(a symlink to /dev/zero from a pulled commit) or a socket is refused by name instead of
hanging the run or exhausting memory; and it reads at most a given number of bytes.

Libraries that write to a file themselves (openpyxl, python-docx, matplotlib) write into a
memory buffer through `write_with`, and the buffer is written here.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import DialogtoolError

# What a file that is not a regular one is, for the message that refuses it.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_mode() -> int:
    """0666 minus the process's umask: what `open()` would give a new file.

    Read on every write (two system calls) rather than once at import, so a program that
    changes its umask is obeyed.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def printable(path: str | Path) -> str:
    """A file name as it can be shown and stored: bytes that are not UTF-8 (a Latin-1 «ø» from
    an old zip, kept by Python as surrogates) become `\\xf8`, so messages, YAML and XML get
    valid text that still says which file it was."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def on_disk(shown: str) -> Path:
    """The path a `printable` name stands for: `\xf8` back to its byte, when such a file exists."""
    if "\\x" not in shown:
        return Path(shown)
    parts = re.split(r"\\x([0-9a-f]{2})", shown)
    raw = b"".join(bytes([int(part, 16)]) if odd else part.encode("utf-8") for odd, part in _alternate(parts))
    path = Path(os.fsdecode(raw))
    return path if path.exists() else Path(shown)


def _alternate(parts: list[str]) -> list[tuple[bool, str]]:
    return [(index % 2 == 1, part) for index, part in enumerate(parts)]


def reason(exc: OSError) -> str:
    """An OSError's reason in lower case, as a message part ("no space left on device")."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def kind_of(mode: int) -> str | None:
    """What a file of this mode is when it is not a regular file ("a FIFO (named pipe)"), else None."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


# The tool's own caches and indexes (JSON): large for 20,000 notes, but bounded.
MAX_INDEX_BYTES = 2**30


def _open_regular(path: Path, what: str) -> tuple[int, os.stat_result]:
    """An fd open for reading on a regular file, and its fstat; anything else is a DialogtoolError.

    Opened with O_NONBLOCK, so opening a FIFO returns at once, and checked with fstat on the
    open file (not the name, which could be swapped in between); symlinks are followed, so
    a link to a device is refused as that device.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        kind = _kind_by_name(path)  # a socket cannot be opened at all (ENXIO): say what it is
        if kind is not None:
            raise DialogtoolError(f"not read: {kind}, not a regular file", path=printable(path)) from None
        raise DialogtoolError(f"cannot read {what}: {reason(exc)}", path=printable(path)) from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise DialogtoolError(f"cannot read {what}: {reason(exc)}", path=printable(path)) from None
    kind = kind_of(info.st_mode)
    if kind is not None:
        os.close(fd)
        raise DialogtoolError(f"not read: {kind}, not a regular file", path=printable(path))
    return fd, info


def _kind_by_name(path: Path) -> str | None:
    try:
        return kind_of(os.stat(path).st_mode)
    except OSError:
        return None


def open_regular(path: Path, what: str = "file") -> BinaryIO:
    """A regular file open for reading in binary (to read a part of it); see `read_bytes`."""
    fd, _ = _open_regular(path, what)
    return os.fdopen(fd, "rb")


def read_bytes(path: Path, limit: int, what: str = "file") -> bytes:
    """A regular file's bytes, at most `limit` of them; anything else is a DialogtoolError naming it:
    a FIFO, a device (or a symlink to one), a socket or a folder is refused without being read."""
    fd, info = _open_regular(path, what)
    try:
        if info.st_size > limit:
            raise DialogtoolError(
                f"{what} is {_size(info.st_size)}, over the {_size(limit)} limit", path=printable(path)
            )
        chunks = []
        total = 0
        while block := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(block)
            total += len(block)
            if total > limit:  # it grew since fstat
                raise DialogtoolError(f"{what} is over the {_size(limit)} limit", path=printable(path))
        return b"".join(chunks)
    except OSError as exc:
        raise DialogtoolError(f"cannot read {what}: {reason(exc)}", path=printable(path)) from None
    finally:
        os.close(fd)


def read_text(path: Path, limit: int, what: str = "file", encoding: str = "utf-8") -> str:
    """A regular file's text (see `read_bytes`); bytes that are not `encoding` are an error naming the file."""
    data = read_bytes(path, limit, what)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        name = encoding.upper().removesuffix("-SIG")
        message = f"cannot read {what}: not {name} text (byte {exc.start})"
        raise DialogtoolError(message, path=printable(path), line=line) from None


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MiB" if count >= 2**20 else f"{count} bytes"


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, creating the folder; a failure is a DialogtoolError naming `path`."""
    _write(path, data, lambda tmp: os.replace(tmp, path))


def write_cache_bytes(path: Path, data: bytes) -> None:
    """Write a cache file in place, for speed: no temporary file, no rename.

    Only for files whose readers validate them and rebuild them when they are torn (a crash
    mid-write leaves invalid JSON, which reads as no cache). The file is opened without
    following a symlink, so a link planted where the cache goes is refused, never written through.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_NONBLOCK, file_mode())
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {reason(exc)}", path=printable(path)) from None


def create_log(path: Path) -> int:
    """A new file open for appending records to (`append_record`), for a cache written as it grows.

    Never an existing file (O_EXCL: each writer has a file of its own) and never through a
    symlink. As with `write_cache_bytes`, only for files whose readers skip a torn last record.
    """
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW | getattr(os, "O_BINARY", 0)
        return os.open(path, flags, file_mode())
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {reason(exc)}", path=printable(path)) from None


def append_record(fd: int, data: bytes, path: Path) -> None:
    """Append `data` to a file from `create_log` (one system call for a record of a few kB)."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {reason(exc)}", path=printable(path)) from None


def replace_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> bool:
    """Write `data` to `path` only if the file still holds `expected` (None: only if it does not exist).

    False, and the file untouched, when someone else changed it since the caller read it.
    On Linux the swap is atomic (renameat2 RENAME_EXCHANGE, then the file swapped out is
    compared): a save that lands between the check and the rename cannot be lost. Elsewhere
    the file is compared just before `os.replace`, which leaves a window of microseconds.
    """
    if expected is None:
        created = _create_whole(path, data)
        if created is not None:
            return created
    swapped: list[bool] = []

    def install(tmp: str) -> None:
        if expected is None:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile; never replaces one
            except FileExistsError:
                swapped.append(False)
                return
            except OSError as exc:  # a file system without hard links
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                if os.path.lexists(path):
                    swapped.append(False)
                    return
                os.replace(tmp, path)
                swapped.append(True)
                return
            os.unlink(tmp)
            swapped.append(True)
            return
        if _exchange(tmp, path):
            if _holds(Path(tmp), expected):
                os.unlink(tmp)
                swapped.append(True)
            else:  # a save landed since the caller read the file: put it back
                os.replace(tmp, path)
                swapped.append(False)
            return
        if not _holds(path, expected):
            swapped.append(False)
            return
        os.replace(tmp, path)
        swapped.append(True)

    _write(path, data, install)
    return swapped == [True]


def _create_whole(path: Path, data: bytes) -> bool | None:
    """Create `path` holding `data` unless it exists (False then); None where this cannot be done
    this way, and the caller writes a named temporary file instead.

    Linux: the bytes go into an unnamed file in the folder (O_TMPFILE), which is then given its
    name (linkat through /proc): like the temporary file and `os.link`, the file appears whole or
    not at all and never replaces one, but no temporary name is made in the folder and removed
    again. That is half the system calls of a coded file's write (50 µs of CPU a note, 90 µs
    of wall time, where a folder of 10,000 files holds the name). The mode is what `open` gives,
    as `file_mode` says. (os.link cannot do it: it calls link(2), which does not follow the
    /proc link.)
    """
    flag = getattr(os, "O_TMPFILE", 0)
    call = _linkat() if flag else None
    if call is None:
        return None
    try:
        fd = os.open(path.parent, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:  # a file system without unnamed files, or no folder yet: the other way says why
        return None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        at_cwd, follow = -100, 0x400  # AT_FDCWD, AT_SYMLINK_FOLLOW
        if call(at_cwd, f"/proc/self/fd/{fd}".encode(), at_cwd, os.fsencode(path), follow) == 0:
            return True
        import ctypes

        code = ctypes.get_errno()
        if code == errno.EEXIST:
            return False
        if code in (errno.ENOENT, errno.EPERM, errno.EACCES, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP):
            return None  # no /proc, or a link refused: the named temporary file
        raise OSError(code, os.strerror(code), str(path))
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {reason(exc)}", path=printable(path)) from None
    finally:
        os.close(fd)


_LINKAT: list[Callable[..., int] | None] = []


def _linkat() -> Callable[..., int] | None:
    if not _LINKAT:
        try:
            import ctypes

            _LINKAT.append(ctypes.CDLL(None, use_errno=True).linkat)
        except (OSError, AttributeError):
            _LINKAT.append(None)
    return _LINKAT[0]


def _holds(path: Path, expected: bytes) -> bool:
    """Whether the file holds exactly `expected` (read without blocking: it may have been swapped for a FIFO)."""
    try:
        return read_bytes(path, len(expected)) == expected
    except DialogtoolError:
        return False


def _exchange(tmp: str, path: Path) -> bool:
    """Swap two names atomically (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    call = _renameat2()
    if call is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if call(at_cwd, os.fsencode(tmp), at_cwd, os.fsencode(path), rename_exchange) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOENT):
        return False  # no such call or file system support, or the file was deleted: compare and replace
    raise OSError(code, os.strerror(code), str(path))


_RENAMEAT2: list[Callable[..., int] | None] = []


def _renameat2() -> Callable[..., int] | None:
    if not _RENAMEAT2:
        try:
            import ctypes

            _RENAMEAT2.append(ctypes.CDLL(None, use_errno=True).renameat2)
        except (OSError, AttributeError):  # not Linux, or a libc without it
            _RENAMEAT2.append(None)
    return _RENAMEAT2[0]


# what `tempfile.mkstemp` opens its files with, but for writing only
_NEW_FILE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
) | getattr(os, "O_BINARY", 0)


def _write(path: Path, data: bytes, install: Callable[[str], None]) -> None:
    """The temporary file beside `path`, then `install(tmp)`; OSError becomes a DialogtoolError naming `path`."""
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            # The name is known before the file exists, so a Ctrl-C that lands just after it is
            # made (in `mkstemp` it could: the name came back after the file) still removes it.
            tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}.tmp")
            try:
                fd = os.open(tmp, _NEW_FILE, 0o600)
                break
            except FileExistsError:
                tmp = ""  # not ours
        os.chmod(tmp, file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        install(tmp)
    except OSError as exc:
        raise DialogtoolError(f"cannot write: {reason(exc)}", path=printable(path)) from None
    finally:
        if tmp:  # also where it was never made (a read-only folder: EROFS), so no OSError here
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_text(path: Path, text: str) -> None:
    """UTF-8, line endings exactly as in `text` (no translation on any platform)."""
    write_bytes(path, text.encode("utf-8"))


def write_with(path: Path, save: Callable[[BinaryIO], None]) -> None:
    """For a library that saves to a file object: `save(buffer)` fills memory, then one atomic write."""
    buffer = io.BytesIO()
    save(buffer)
    write_bytes(path, buffer.getvalue())
