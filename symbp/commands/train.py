"""`symbp train`: train a network with its generated code; final loss, accuracy, loss curve."""
from __future__ import annotations

import argparse
import sys

from symbp.codegen import generate
from symbp.commands.options import layout_from_args
from symbp.commands.codegen import add_network_and_code_options
from symbp.commands.files import check_writable
from symbp.errors import SymbpError
from symbp.training import data as datasets
from symbp.training.loop import accuracy, check_settings, train
from symbp.training.plot import require_matplotlib, save_loss_curve
from symbp.training.progress import Progress

HELP = "train a network with the code generated from its proved gradients"


def _number(kind: type, flag: str):
    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} takes a number, got '{text}'") from None
    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_and_code_options(parser, default_layers="2,2,1")
    parser.add_argument("--data", default="xor",
                        help=f"{', '.join(datasets.DATASETS)}, or a CSV file (features, then "
                             f"the class label in the last column). Default xor")
    parser.add_argument("--epochs", type=_number(int, "--epochs"), default=None,
                        help="passes over the training data (default: the data set's)")
    parser.add_argument("--lr", type=_number(float, "--lr"), default=None,
                        help="SGD step size η (default: the data set's)")
    parser.add_argument("--batch", type=_number(int, "--batch"), default=None,
                        help="samples per SGD step (default: the data set's)")
    parser.add_argument("--seed", type=_number(int, "--seed"), default=0,
                        help="seed of the initial weights, shuffling and split (default 0)")
    parser.add_argument("--plot", default=None, metavar="FILE.png",
                        help="save the loss curve as a PNG (needs matplotlib)")


def _percent(correct: int, total: int) -> str:
    return f"{100.0 * correct / total:.1f}% ({correct}/{total})"


def run(args: argparse.Namespace) -> int:
    layout = layout_from_args(args)
    data, defaults = datasets.load(args.data, args.seed)
    epochs = args.epochs if args.epochs is not None else defaults.epochs
    lr = args.lr if args.lr is not None else defaults.lr
    batch = args.batch if args.batch is not None else defaults.batch
    check_settings(epochs, lr, batch)
    if args.plot is not None:                  # every --plot problem before any training
        if not args.plot.lower().endswith(".png"):
            raise SymbpError(f"--plot writes a PNG file; give a name ending in .png, "
                             f"got '{args.plot}'")
        check_writable(args.plot)
        require_matplotlib()
    datasets.check_inputs(data, layout.layers[0])
    outputs = layout.layers[-1]
    Y = datasets.targets(data.labels, outputs, data.classes)

    generated = generate(layout, args.form, args.proof)
    module = generated.load()
    print(f"network {layout.describe()}")
    print(f"code: {args.form} form; BP1-BP4 proved {generated.proof.where()} "
          f"({generated.proof.seconds:.2f} s)")
    print(f"data {data.name}: {len(data.labels)} training samples, {data.X.shape[1]} features, "
          f"{data.classes} classes" + (f", {len(data.labels_test)} test samples"
                                       if data.has_test else "") + f"; {data.note}")
    print(f"training: {epochs} epochs, lr {lr:g}, batch {min(batch, len(data.labels))}, "
          f"seed {args.seed}")
    params = module.init_params(args.seed)
    history = train(module, params, data.X, Y, epochs=epochs, lr=lr, batch=batch,
                    seed=args.seed, progress=Progress(epochs, sys.stderr))
    print(f"final loss {history.losses[-1]:.6g} (mean over the training set; "
          f"initial {history.losses[0]:.6g})")
    correct, total = accuracy(module, history.params, data.X, data.labels)
    print(f"train accuracy {_percent(correct, total)}")
    if args.epochs is None and args.data.lower().endswith(".csv") and correct < total * 0.9:
        print(f"hint: a CSV file gets general defaults ({epochs} epochs, lr {lr:g}), which may "
              "stop short; try more epochs or a larger rate, e.g. --epochs 2000 --lr 2",
              file=sys.stderr)
    if data.has_test:
        print(f"test accuracy {_percent(*accuracy(module, history.params, data.X_test, data.labels_test))}")
    if args.plot is not None:
        title = f"{data.name}: {list(layout.layers)} {', '.join(dict.fromkeys(layout.activations))}, {layout.cost}"
        print(f"loss curve saved to {save_loss_curve(history.losses, args.plot, title)}")
    return 0
