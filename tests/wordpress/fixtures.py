"""pytest fixtures for a real local WordPress (see ``tests.wordpress.wordpress``); tests/e2e/conftest.py
imports them for every end-to-end test.

Elsewhere, import them into a conftest::

    from tests.wordpress.fixtures import wordpress  # noqa: F401

``wordpress`` is session scoped (one install per session, about a second); tests that change
it (plugins, the REST switch) restore it themselves or use ``fresh_wordpress`` (module scoped).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wordpress.wordpress import LocalWordPress


def _start(tmp_path_factory: pytest.TempPathFactory, name: str) -> LocalWordPress:
    try:
        return LocalWordPress.start(tmp_path_factory.mktemp(name))
    except Exception as exc:
        pytest.fail(f"could not start the local WordPress: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWordPress]:
    """A running WordPress with an admin and an application password, shared by the session."""
    wp = _start(tmp_path_factory, "wordpress")
    try:
        yield wp
    finally:
        wp.stop()


@pytest.fixture(scope="module")
def fresh_wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWordPress]:
    """A WordPress of the module's own (for tests that install plugins or count posts)."""
    wp = _start(tmp_path_factory, "wordpress-module")
    try:
        yield wp
    finally:
        wp.stop()
