"""Time limits for symbolic work, by SIGALRM: nested limits keep the one that ends first."""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from typing import Iterator

#: After the limit, the error is raised again this often until the limited block has ended.
RETRY_SECONDS = 0.5


@contextlib.contextmanager
def time_limit(seconds: float | None, error: type[BaseException] = TimeoutError) -> Iterator[None]:
    """Raise `error` in the main thread after `seconds`; no limit elsewhere or for None/0.

    An enclosing limit that ends sooner stays in charge, and gets back what it had left.
    (A signal is only seen between Python steps: one long call into the engine runs to its end.)
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    if remaining and remaining < seconds:
        yield
        return

    active = [True]

    def expire(signum, frame):
        if not active[0]:
            return                              # a late signal while the block is ending
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)   # again, should a library swallow it
        raise error

    previous = signal.getsignal(signal.SIGALRM)
    began = time.perf_counter()
    try:                        # armed inside the try: a limit that ends at once still disarms
        signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        _disarm(active, previous, error)
        if remaining:
            left = remaining - (time.perf_counter() - began)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def _disarm(active: list, previous, error: type[BaseException]) -> None:
    """Stop the timer and give the signal back. A signal delivered on the way in (before the
    flag is down) raises here: it is dropped and the step done again, so that no armed timer
    or handler ever outlives its block."""
    while True:
        try:
            active[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            return
        except error:
            continue
