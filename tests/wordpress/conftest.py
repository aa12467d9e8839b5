from tests.wordpress.fixtures import fresh_wordpress, wordpress  # noqa: F401
