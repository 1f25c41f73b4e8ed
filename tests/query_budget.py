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
    """Render ``url`` with ``small`` rows, then with ``large``; the query counts must be equal."""
    add_rows(small)
    few, _ = count_queries(client, url)
    add_rows(large - small)
    many, _ = count_queries(client, url)
    assert few == many, f"{url}: {few} queries for {small} rows but {many} for {large} (N+1?)"
    return many


def data_query_count(client, url: str) -> int:
    """The queries one GET of ``url`` runs, without transaction control (as the benchmark counts)."""
    from perf.inprocess import data_queries

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(data_queries(ctx.captured_queries))
