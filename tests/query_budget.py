"""Query budgets: a page's query count must not grow with the number of rows it shows."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries), response


def assert_flat_queries(
    client, url: str, add_rows: Callable[[int], object], *, small: int = 1, large: int = 50
) -> int:
    """Render ``url`` with ``small`` rows, then with ``large``; the query counts must be equal.
    A first visit warms what is worked out once per user (the admin's list of apps and models)."""
    client.get(url)
    add_rows(small)
    few, _ = count_queries(client, url)
    add_rows(large - small)
    many, _ = count_queries(client, url)
    assert few == many, f"{url}: {few} queries for {small} rows but {many} for {large} (N+1?)"
    return many


def count_data_queries(client, url: str) -> tuple[int, object]:
    """Queries of one GET as the benchmark counts them: without transaction control (savepoints)."""
    from perf.inprocess import data_queries

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(data_queries(ctx.captured_queries)), response
