"""The valid catalogue editions, written once per test session and copied by each case."""

import pytest

from tests.catalogue.edition import write_edition


@pytest.fixture(scope="session")
def good_editions(tmp_path_factory):
    """The two valid editions (MAR activity, episode-extract activity): kind -> folder."""
    root = tmp_path_factory.mktemp("catalogue-good")
    return {kind: write_edition(root / kind, kind).parent for kind in ("mar", "episodes")}
