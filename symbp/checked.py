"""A derivation file together with the verdict on each of its claims: what `symbp latex FILE`
prints and what a notebook shows for a checked file."""
from __future__ import annotations

from dataclasses import dataclass

from symbp.check import ClaimResult, check_text
from symbp.derivation.read import DerivationFile, read_text


@dataclass
class FileDerivation:
    """A derivation file and the verdict on each of its claims (from `symbp.check`)."""

    file: DerivationFile
    results: list[ClaimResult]

    @classmethod
    def check(cls, text: str, path: str) -> "FileDerivation":
        """Read and check a derivation file given as text (the caller does the reading)."""
        return cls(read_text(text, path), check_text(text, path))

    @property
    def as_expected(self) -> bool:
        return all(r.as_expected for r in self.results)

    @property
    def unexpected(self) -> list[ClaimResult]:
        """The claims whose verdict differs from what the file expects."""
        return [r for r in self.results if not r.as_expected]
