import pytest
from django.urls import resolve, reverse

NAMES = [
    ("reports:index", {}, "/reports/"),
    ("reports:generate", {}, "/reports/generate/"),
    ("reports:dashboard", {}, "/reports/dashboard/"),
    ("reports:detail", {"pk": 7}, "/reports/7/"),
    ("reports:status", {"pk": 7}, "/reports/7/status/"),
    ("reports:print", {"pk": 7}, "/reports/7/print/"),
    ("reports:export_xlsx", {"pk": 7}, "/reports/7/report.xlsx"),
    ("reports:export_csv", {"pk": 7}, "/reports/7/report.csv"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), NAMES)
def test_url_names_reverse_and_resolve(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}" == name and match.kwargs == kwargs
