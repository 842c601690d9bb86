"""A tiny progress bar on stderr: redrawn in place on a terminal, a few plain lines otherwise."""
from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    """`update(done, loss)` as training goes; `close()` at the end."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "epoch") -> None:
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.perf_counter()
        self.shown = -1
        self.steps = 50 if self.live else 4        # redraws over the whole run

    def update(self, done: int, loss: float) -> None:
        stage = done * self.steps // self.total
        if stage == self.shown and done != self.total:
            return
        self.shown = stage
        filled = done * WIDTH // self.total
        bar = "#" * filled + "-" * (WIDTH - filled)
        text = (f"{self.label} {done}/{self.total} [{bar}] loss {loss:.6g} "
                f"({time.perf_counter() - self.start:.1f} s)")
        self.stream.write(("\r" + text) if self.live else text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
