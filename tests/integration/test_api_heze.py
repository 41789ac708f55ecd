"""Every example operation runs without errors on the Heze demo dataset (scale 0.01), and coverage over HTTP
equals the coverage service's figures for the city."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.seed.heze import generate
from graph_service.services.coverage import coverage_figures
from graphql import OperationDefinitionNode, parse

EXAMPLES = Path(__file__).resolve().parents[2] / "graph_service" / "graphql" / "examples"
ROLE = {"planner": "viewer", "staff": "analyst", "integration": "integration"}


@pytest.fixture(scope="module")
def heze_server(start_server):
    return start_server(records=generate(0.01, 7).records)


@pytest.fixture(scope="module")
def heze_ids(heze_server):
    data = heze_server.data(
        """{ city: areas(level: CITY) { edges { node { domainId } } }
             district: areas(level: DISTRICT, first: 1) { edges { node { domainId } } }
             community: areas(level: COMMUNITY, first: 1) { edges { node { domainId } } }
             compound: compounds(first: 1, filter: {noBranch: false}) { edges { node { domainId ledBy { domainId } } } } }"""
    )
    compound = data["compound"]["edges"][0]["node"]
    return {
        "city": data["city"]["edges"][0]["node"]["domainId"],
        "district": data["district"]["edges"][0]["node"]["domainId"],
        "community": data["community"]["edges"][0]["node"]["domainId"],
        "compound": compound["domainId"],
        "branch": compound["ledBy"][0]["domainId"],
    }


def _variables(op: str, ids: dict[str, str]) -> dict[str, str]:
    return {
        "CompoundsWithoutBranch": {"districtId": ids["district"]},
        "CompoundDrillDown": {"compoundId": ids["compound"]},
        "DistrictCoverage": {"areaId": ids["district"]},
        "WeakOrganizations": {"areaId": ids["district"]},
        "CrossAppointments": {"areaId": ids["district"]},
        "PostHolders": {"organizationId": ids["branch"]},
        "FindByName": {"text": "小区"},
        "ActivePairings": {"activeOn": "2024-06-01"},
        "SchoolPairingsInDistrict": {"districtId": ids["district"]},
        "CommunityRegistrations": {"communityId": ids["community"]},
    }.get(op, {})


def _operations():
    for path in sorted(EXAMPLES.glob("*.graphql")):
        for d in parse(path.read_text(encoding="utf-8")).definitions:
            if isinstance(d, OperationDefinitionNode) and d.name:
                yield path.stem, d.name.value


@pytest.mark.parametrize(("user", "operation"), list(_operations()))
def test_example_runs_on_the_heze_dataset(heze_server, heze_ids, user, operation):
    text = (EXAMPLES / f"{user}.graphql").read_text(encoding="utf-8")
    response = heze_server.gql(text, _variables(operation, heze_ids), role=ROLE[user], operation_name=operation)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"][:3]
    assert any(value for value in body["data"].values()), body["data"]


def test_city_coverage_over_http_equals_the_service(heze_server, heze_ids):
    data = heze_server.data("query($a: String!) { coverage(areaId: $a) { figures { code value } } }", {"a": heze_ids["city"]})[
        "coverage"
    ]
    expected = coverage_figures(heze_server.store, heze_ids["city"])
    for figure in data["figures"]:
        value = getattr(expected, figure["code"])
        assert figure["value"] == (None if value is None else pytest.approx(float(value))), figure["code"]
    assert len(data["figures"]) > 20
