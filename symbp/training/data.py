"""Data sets for training: XOR (generated), digits and iris (shipped), and a user's CSV file.

A data set is features X (samples, n_in) and integer class labels; `targets` turns the labels
into the Y an output layer of a given width can be trained on, or says why it cannot.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Callable

import numpy as np

from symbp.errors import SymbpError

#: Share of a shuffled data set held out for the test accuracy (data sets with a split).
TEST_SHARE = 0.2


@dataclass(frozen=True)
class Data:
    """Features and labels, split into training and test samples (the same for XOR)."""

    name: str
    X: np.ndarray
    labels: np.ndarray
    X_test: np.ndarray
    labels_test: np.ndarray
    note: str = ""

    @property
    def classes(self) -> int:
        return int(max(self.labels.max(), self.labels_test.max())) + 1

    @property
    def has_test(self) -> bool:
        return self.X_test is not self.X


@dataclass(frozen=True)
class Defaults:
    """Training settings that work for a data set, used when a flag is not given."""

    epochs: int
    lr: float
    batch: int


def _xor(seed: int) -> Data:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    return Data("xor", X, labels, X, labels, "the four points of XOR; accuracy is on all four")


def _shipped(name: str, scale: Callable[[np.ndarray], np.ndarray], note: str) \
        -> Callable[[int], Data]:
    def load(seed: int) -> Data:
        path = resources.files("symbp") / "data" / f"{name}.csv"
        with resources.as_file(path) as real:
            X, labels = read_csv(real)
        return split(replace(_whole(name, scale(X), labels), note=note), seed)
    return load


def _whole(name: str, X: np.ndarray, labels: np.ndarray) -> Data:
    return Data(name, X, labels, X, labels)


def standardize(X: np.ndarray) -> np.ndarray:
    """Each feature shifted to mean 0 and scaled to standard deviation 1 (constant ones kept)."""
    spread = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(spread > 0, spread, 1.0)


#: Shipped and generated data sets by name: (loader taking a seed, default settings).
DATASETS: dict[str, tuple[Callable[[int], Data], Defaults]] = {
    "xor": (_xor, Defaults(epochs=4000, lr=2.0, batch=4)),
    "digits": (_shipped("digits", lambda X: X / 16.0,
                        "8x8 handwritten digits (UCI, via scikit-learn), pixels scaled to [0, 1]"),
               Defaults(epochs=40, lr=1.0, batch=16)),
    "iris": (_shipped("iris", standardize, "Fisher's iris (UCI, via scikit-learn), standardized"),
             Defaults(epochs=200, lr=0.1, batch=8)),
}
CSV_DEFAULTS = Defaults(epochs=100, lr=0.1, batch=32)


def split(data: Data, seed: int) -> Data:
    """Shuffle with `seed` and hold out TEST_SHARE of the samples (all kept when too few)."""
    n = len(data.labels)
    test = int(round(n * TEST_SHARE))
    if n < 10 or test == 0:
        return data
    order = np.random.default_rng(seed).permutation(n)
    held, kept = order[:test], order[test:]
    return replace(data, X=data.X[kept], labels=data.labels[kept], X_test=data.X[held],
                   labels_test=data.labels[held])


def _number(cell: str, where: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise SymbpError(f"{where}: '{cell.strip()[:40]}' is not a number") from None
    if not math.isfinite(value):
        raise SymbpError(f"{where}: '{cell.strip()[:40]}' is not a finite number")
    return value


def _is_header(row: list[str]) -> bool:
    def numeric(cell: str) -> bool:
        try:
            float(cell)
            return True
        except ValueError:
            return False
    return not any(numeric(cell) for cell in row)


def read_csv(path: Path | str) -> tuple[np.ndarray, np.ndarray]:
    """Features and integer labels from CSV: features first, the label in the last column.

    A first row with no number in it is a header. Ragged rows, non-numeric cells and labels that
    are not whole numbers ≥ 0 are errors naming the file, line and column.
    """
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = [(n, row) for n, row in enumerate(csv.reader(handle), start=1)
                    if any(cell.strip() for cell in row)]
    except OSError as err:
        raise SymbpError(f"cannot read the data file: {err.strerror}", file=name) from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise SymbpError(f"not a readable CSV file ({err})", file=name) from None
    if rows and _is_header(rows[0][1]):
        rows = rows[1:]
    if not rows:
        raise SymbpError("no data rows", file=name)
    width = len(rows[0][1])
    if width < 2:
        raise SymbpError("each row needs at least one feature and a label", file=name,
                         line=rows[0][0])
    values = []
    for line, row in rows:
        if len(row) != width:
            raise SymbpError(f"ragged row: {len(row)} cells, but the first row has {width}",
                             file=name, line=line)
        values.append([_number(cell, f"{name}: line {line}, column {col}")
                       for col, cell in enumerate(row, start=1)])
    data = np.array(values, dtype=float)
    labels = data[:, -1]
    bad = np.flatnonzero((labels != np.round(labels)) | (labels < 0))
    if bad.size:
        line = rows[int(bad[0])][0]
        raise SymbpError(f"the label {labels[bad[0]]:g} in the last column is not a class "
                         f"number 0, 1, 2, ...", file=name, line=line)
    return data[:, :-1], labels.astype(int)


def load(source: str, seed: int = 0) -> tuple[Data, Defaults]:
    """A named data set (xor, digits, iris) or a CSV file, with its default settings."""
    if source in DATASETS:
        loader, defaults = DATASETS[source]
        return loader(seed), defaults
    path = Path(source)
    if path.suffix.lower() != ".csv" and not path.exists():
        raise SymbpError(f"unknown data '{source}' (give {', '.join(DATASETS)} or a .csv file)")
    X, labels = read_csv(path)
    scaled = standardize(X)
    data = split(Data(path.name, scaled, labels, scaled, labels, "features standardized"), seed)
    return data, CSV_DEFAULTS


def targets(labels: np.ndarray, outputs: int, classes: int) -> np.ndarray:
    """Y for an output layer of `outputs` units: the label itself for one unit, else one-hot."""
    if outputs == 1:
        if classes > 2:
            raise SymbpError(f"the labels take {classes} values (0..{classes - 1}) but the "
                             f"output layer has 1 unit, which holds two classes: make the last "
                             f"width {classes}")
        return labels.astype(float)[:, None]
    if classes > outputs:
        raise SymbpError(f"the labels take {classes} values (0..{classes - 1}) but the output "
                         f"layer has {outputs} units: make the last width {classes}")
    return np.eye(outputs)[labels]


def check_inputs(data: Data, inputs: int) -> None:
    """Refuse data whose feature count differs from the input layer's width."""
    features = data.X.shape[1]
    if features != inputs:
        raise SymbpError(f"the data has {features} features per sample but the input layer "
                         f"has {inputs} units: make the first width {features}")
