"""Generated modules refuse arrays of the wrong shape with a ValueError that says the shape."""
import numpy as np
import pytest

from symbp.codegen import generate
from symbp.network import NetworkSpec


@pytest.fixture(scope="module")
def net():
    return generate(NetworkSpec((2, 3, 2), activation="sigmoid")).load()


def test_a_one_dimensional_y_is_refused_not_broadcast(net):
    params = net.init_params(0)
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"Y must have shape \(4, 2\)"):
        net.loss(params, X, np.ones(4))
    with pytest.raises(ValueError, match=r"Y must have shape"):
        net.gradients(params, X, np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"X must have shape \(batch, 2\)"):
        net.forward(params, np.ones(2))


def test_lists_and_float32_are_accepted_as_they_are(net):
    params = net.init_params(0)
    X, Y = [[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]
    assert np.isfinite(net.loss(params, X, Y))
    assert net.forward(params, np.ones((3, 2), dtype=np.float32)).shape == (3, 2)
