"""Checking derivation files claim by claim in worker processes, so that no claim can take the
others down: a claim that crashes, aborts (a GMP abort on a huge power), exhausts its memory or
overruns its time becomes that claim's `undecided` (with the reason) or `error` (with the place).

Each worker is a child process with an address-space limit (`resource.RLIMIT_AS`); the parent
enforces a hard wall-clock limit by killing a worker that overruns, and starts a new one. A
worker keeps the last file it prepared, so a file is read and parsed once per worker, not once
per claim. Only the standard library is used (multiprocessing, resource, select via `wait`).
"""
from __future__ import annotations

import collections
import faulthandler
import multiprocessing
import multiprocessing.connection
import os
import signal
import tempfile
import time
from dataclasses import dataclass, field

from symbp.check import ClaimResult, check_claim
from symbp.derivation.build import Prepared, prepare
from symbp.derivation.read import read_text
from symbp.errors import SymbpError
from symbp.notation.limits import LIMITS

FILE = "(file)"
OUT_OF_MEMORY = 3                               # a worker's exit status after a MemoryError


@dataclass(frozen=True)
class ClaimInfo:
    """What the parent must know of a claim to report it without the worker."""

    name: str
    latex: str
    expect: str | None
    note: str | None


@dataclass
class Opened:
    """A prepared file: its title and its claims, or the one error that stops the whole file."""

    title: str = ""
    claims: list[ClaimInfo] = field(default_factory=list)
    error: ClaimResult | None = None


@dataclass
class FileReport:
    """One file's outcome: its title and a result for every claim, in file order."""

    path: str
    title: str
    results: list[ClaimResult]


# -- the work itself (run in a worker, or in-process with jobs=0) ------------------------------
def _file_error(path: str, message: str) -> ClaimResult:
    return ClaimResult(path, FILE, "", "error", error=message)


def open_file(text: str, path: str) -> tuple[Opened, Prepared | None]:
    """Read and prepare a file; any problem is the file's one located error."""
    try:
        df = read_text(text, path)
        prep = prepare(df)
    except SymbpError as err:
        located = SymbpError(err.message, file=err.file or path, claim=err.claim,
                             line=err.line, column=err.column)
        return Opened(error=_file_error(path, str(located))), None
    except RecursionError:
        return Opened(error=_file_error(path, f"{path}: the file is nested too deeply")), None
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take other files down
        return Opened(error=_file_error(path, f"{path}: internal error while reading the "
                                              f"file: {_exception_text(exc)}")), None
    infos = [ClaimInfo(pc.spec.label, pc.spec.latex, pc.spec.expect, pc.spec.note)
             for pc in prep.claims]
    return Opened(df.title if isinstance(df.title, str) else "", infos), prep


def _exception_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def check_prepared(prep: Prepared, index: int, claim_seconds: float | None = None) -> ClaimResult:
    """Claim number `index` (from 0) of a prepared file; an unexpected exception is its error."""
    limit = LIMITS["claim_seconds"] if claim_seconds is None else claim_seconds
    pc = prep.claims[index]
    start = time.perf_counter()
    try:
        return check_claim(prep, pc, limit)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - one claim's bug is that claim's error only
        spec = pc.spec
        place = SymbpError(f"internal error: {_exception_text(exc)}", file=prep.file.path,
                           claim=spec.label, column=1)
        return ClaimResult(prep.file.path, spec.label, spec.latex, "error", spec.expect,
                           spec.note, seconds=time.perf_counter() - start, error=str(place))


def check_one(text: str, path: str, index: int,
              claim_seconds: float | None = None) -> ClaimResult:
    """Read and prepare a file, then check its claim number `index` (counting from 0)."""
    opened, prep = open_file(text, path)
    if prep is None:
        return opened.error
    return check_prepared(prep, index, claim_seconds)


def check_in_process(files: list[tuple[str, str]],
                     claim_seconds: float | None = None) -> list[FileReport]:
    """Every claim of every (path, text), in this process: no isolation (for debugging)."""
    reports = []
    for path, text in files:
        opened, prep = open_file(text, path)
        if prep is None:
            reports.append(FileReport(path, "", [opened.error]))
            continue
        reports.append(FileReport(path, opened.title, [
            check_prepared(prep, i, claim_seconds) for i in range(len(prep.claims))]))
    return reports


# -- the worker process ---------------------------------------------------------------------------
def _address_space() -> int:
    """The bytes of address space this process already holds (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(limit: int | None) -> None:
    """At most `limit` more bytes for the claim than the forked worker already holds (a parent
    that has loaded large libraries must not leave its workers no room at all)."""
    import resource
    if limit:
        limit += _address_space()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn, memory: int | None, stderr_fd: int) -> None:
    """The worker's loop: one request in, one reply out, until the parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the parent handles Ctrl-C
    faulthandler.disable()                            # a crash is reported by the parent
    os.dup2(stderr_fd, 2)                             # C-level messages (GMP) go to the parent
    _limit_memory(memory)
    cached: tuple[int, Prepared | None, Opened] | None = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        out_of_memory = False
        try:
            reply = _answer(request, cached)
        except MemoryError:
            out_of_memory = True              # handled below, once the traceback has let go
        except Exception as exc:  # noqa: BLE001 - reported as the claim's error, with its place
            reply = ("failed", _exception_text(exc))
        if out_of_memory:
            cached = reply = None
            try:
                conn.send(("memory", None))
            finally:
                os._exit(OUT_OF_MEMORY)       # a process that ran out is not reused
        cached = reply[2] if reply[0] != "failed" else None
        conn.send(reply[:2])


def _answer(request: tuple, cached):
    """The reply to one request, and the prepared file to keep (key, prep, opened)."""
    kind, key, path, text = request[:4]
    if cached is None or cached[0] != key:
        opened, prep = open_file(text, path)
        cached = (key, prep, opened)
    _, prep, opened = cached
    if kind == "open" or prep is None:
        return "opened", opened, cached
    return "claim", check_prepared(prep, request[4], request[5]), cached


# -- the parent -----------------------------------------------------------------------------------
@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: multiprocessing.connection.Connection
    stderr: object
    key: int | None = None                          # the file it has prepared
    task: tuple | None = None                       # (file index, claim index or None)
    started: float = 0.0
    deadline: float = 0.0


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


class _Pool:
    """Worker processes that can be killed one at a time (a process pool cannot)."""

    def __init__(self, size: int, memory: int | None) -> None:
        self.memory = memory
        self.ctx = _context()
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        stderr = tempfile.TemporaryFile()
        process = self.ctx.Process(target=_serve, args=(child, self.memory, stderr.fileno()),
                                   daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, stderr)

    def replace(self, worker: _Worker) -> None:
        self.stop(worker)
        self.workers[self.workers.index(worker)] = self._start()

    @staticmethod
    def stop(worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        worker.stderr.close()

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(timeout=1)
            self.stop(worker)


def _stderr_tail(worker: _Worker) -> str:
    try:
        worker.stderr.seek(0)
        lines = [ln for ln in worker.stderr.read()[-2000:].decode("utf-8", "replace")
                 .splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1].strip()[:200] if lines else ""


def _death_reason(worker: _Worker, memory: int | None) -> str:
    """Why a worker stopped without replying, in words (the signal, and what it printed)."""
    code = worker.process.exitcode
    said = _stderr_tail(worker)
    if code is not None and code < 0:
        try:
            what = signal.Signals(-code).name
        except ValueError:
            what = f"signal {-code}"
        if -code == signal.SIGKILL:
            text = "the checker process was killed (out of memory?)"
        else:
            text = f"the checker process was stopped by {what}"
    elif code == OUT_OF_MEMORY and memory:
        text = f"memory limit of {memory // 2**20} MB per claim reached"
    else:
        text = f"the checker process exited with status {code}"
    if said:
        text += f" ({said})"
    if memory and ("memory" in said.lower() or "alloc" in said.lower()):
        text += f"; the memory limit is {memory // 2**20} MB per claim"
    return text


def check_files(files: list[tuple[str, str]], *, jobs: int, claim_seconds: float | None = None,
                hard_seconds: float | None = None,
                memory: int | None = None) -> list[FileReport]:
    """Every claim of every (path, text), checked in `jobs` worker processes (0: in-process).

    A claim gets `claim_seconds` in its worker (then `undecided`, as in-process); a worker still
    busy after `hard_seconds` (default: that plus LIMITS["claim_grace_seconds"]) is killed. Each
    worker may use `memory` bytes of address space (default LIMITS["claim_memory_bytes"]).
    """
    if jobs <= 0 or not files:
        return check_in_process(files, claim_seconds)
    limit = LIMITS["claim_seconds"] if claim_seconds is None else claim_seconds
    hard = hard_seconds if hard_seconds is not None else limit + LIMITS["claim_grace_seconds"]
    memory = int(LIMITS["claim_memory_bytes"]) if memory is None else memory
    opened: list[Opened | None] = [None] * len(files)
    results: list[list[ClaimResult | None]] = [[] for _ in files]
    to_open = collections.deque(range(len(files)))
    to_check: dict[int, collections.deque] = {}
    pool = _Pool(jobs, memory)
    try:
        while True:
            for worker in pool.workers:
                if worker.task is None:
                    _dispatch(worker, files, to_open, to_check, limit, hard)
            busy = [w for w in pool.workers if w.task is not None]
            if not busy:
                break
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = multiprocessing.connection.wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in list(busy):
                if worker.conn in ready or worker.process.sentinel in ready:
                    _collect(pool, worker, files, opened, results, to_check, memory)
                elif time.monotonic() >= worker.deadline:
                    _fail(pool, worker, files, opened, results, to_check,
                          "undecided", f"time limit of {hard:g} s reached (the checker "
                                       f"process was stopped)")
    finally:
        pool.close()
    reports = []
    for (path, _), op, claims in zip(files, opened, results):
        if op is None or op.error is not None:
            reports.append(FileReport(path, "", [op.error if op else
                                                 _file_error(path, f"{path}: not read")]))
        else:
            reports.append(FileReport(path, op.title, claims))
    return reports


def _dispatch(worker: _Worker, files, to_open, to_check, limit: float, hard: float) -> None:
    """Give an idle worker the next claim of its own file, else any claim, else a file to open."""
    task = None
    if worker.key in to_check and to_check[worker.key]:
        task = (worker.key, to_check[worker.key].popleft())
    else:
        for key, queue in to_check.items():
            if queue:
                task = (key, queue.popleft())
                break
    if task is None and to_open:
        task = (to_open.popleft(), None)
    if task is None:
        return
    key, index = task
    path, text = files[key]
    sent_text = text if worker.key != key else None
    worker.stderr.seek(0)
    worker.stderr.truncate()
    if index is None:
        worker.conn.send(("open", key, path, sent_text))
    else:
        worker.conn.send(("claim", key, path, sent_text, index, limit))
    worker.key, worker.task = key, task
    worker.started = time.monotonic()
    worker.deadline = worker.started + hard


def _collect(pool: _Pool, worker: _Worker, files, opened, results, to_check,
             memory: int | None) -> None:
    """Take a worker's reply; a worker that died or ran out of memory fails its task."""
    try:
        reply = worker.conn.recv() if worker.conn.poll() else None
    except (EOFError, OSError):
        reply = None
    if reply is None or reply[0] == "memory":
        if reply is None:
            worker.process.join(timeout=5)
            reason = _death_reason(worker, memory)
        else:
            reason = f"memory limit of {memory // 2**20} MB per claim reached"
        _fail(pool, worker, files, opened, results, to_check, "undecided", reason)
        return
    if reply[0] == "failed":
        _fail(pool, worker, files, opened, results, to_check, "error",
              f"internal error: {reply[1]}")
        return
    key, index = worker.task
    worker.task = None
    kind, value = reply
    if kind == "opened":
        _opened(key, value, opened, results, to_check)
    else:
        results[key][index] = value


def _opened(key: int, value: Opened, opened, results, to_check) -> None:
    opened[key] = value
    if value.error is None:
        results[key] = [None] * len(value.claims)
        to_check[key] = collections.deque(range(len(value.claims)))


def _fail(pool: _Pool, worker: _Worker, files, opened, results, to_check,
          verdict: str, reason: str) -> None:
    """The task the worker held ends with `reason`; the worker is replaced by a fresh one."""
    key, index = worker.task
    path = files[key][0]
    seconds = time.monotonic() - worker.started
    pool.replace(worker)
    if index is None:
        _opened(key, Opened(error=_file_error(path, f"{path}: cannot read the file: "
                                                    f"{reason}")), opened, results, to_check)
        return
    info = opened[key].claims[index]
    error = str(SymbpError(reason, file=path, claim=info.name)) if verdict == "error" else None
    results[key][index] = ClaimResult(path, info.name, info.latex, verdict, info.expect,
                                      info.note, seconds=seconds, reason=reason, error=error)
