import pytest
from django.urls import resolve, reverse

CASES = [
    ("orgs:list", {}, "/orgs/"),
    ("orgs:detail", {"pk": 7}, "/orgs/7/"),
    ("orgs:move_stage", {"pk": 7}, "/orgs/7/stage/"),
    ("orgs:contract_list", {}, "/orgs/contracts/"),
    ("orgs:contract_detail", {"pk": 3}, "/orgs/contracts/3/"),
    ("orgs:import", {}, "/orgs/import/"),
    ("orgs:import_template", {}, "/orgs/import/template.xlsx"),
    ("orgs:grant_list", {}, "/orgs/grants/"),
    ("orgs:grant_detail", {"pk": 2}, "/orgs/grants/2/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), CASES)
def test_urls_reverse_and_resolve_both_ways(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == kwargs
