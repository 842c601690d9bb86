"""The loss curve as a PNG, with matplotlib (the optional `plot` extra)."""
from __future__ import annotations

from pathlib import Path

from symbp.errors import SymbpError


def require_matplotlib() -> None:
    """Fail early, before training, when --plot cannot be honoured."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SymbpError("--plot needs matplotlib: pip install matplotlib (or, from the symbp "
                         "project folder, pip install '.[plot]')") from None


def save_loss_curve(losses: list[float], path: str | Path, title: str) -> Path:
    """Write the loss per epoch (log scale) to `path` as a PNG."""
    require_matplotlib()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = Path(path)
    if not target.parent.exists():
        raise SymbpError(f"cannot save the plot: the folder {target.parent} does not exist")
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(len(losses)), losses, color="tab:blue")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (mean over the training set)")
    if min(losses) > 0:
        ax.set_yscale("log")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    try:
        fig.savefig(target, format="png", dpi=100)
    except OSError as err:
        raise SymbpError(f"cannot save the plot to {target}: {err.strerror}") from None
    finally:
        plt.close(fig)
    return target
