import numpy as np
import pytest

from analysis.synthetic.streams import stream

pytestmark = pytest.mark.unit


def test_same_seed_and_name_give_the_same_draws():
    assert np.array_equal(stream(1, "activity").random(5), stream(1, "activity").random(5))


def test_names_and_seeds_separate_the_streams():
    a = stream(1, "activity").random(5)
    assert not np.array_equal(a, stream(1, "beds").random(5))
    assert not np.array_equal(a, stream(2, "activity").random(5))
    assert not np.array_equal(stream(1, "indicators", "births").random(5), stream(1, "indicators", "deaths").random(5))
