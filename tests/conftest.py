"""Shared fixtures."""

from __future__ import annotations

import pytest

from utils import paths


@pytest.fixture(scope="session")
def shared_corpora():
    """Folder of the real corpora (``../shared/corpora``); skips the test when absent."""
    folder = paths.shared_corpora_dir()
    if not folder.is_dir():
        pytest.skip(
            f"shared corpora not available ({folder.name} folder absent beside the project)"
        )
    return folder
