"""A programme's slug is its address: it never hides behind a fixed route, and two programmes
made at once with the same name both get one."""

from unittest import mock

import pytest
from django.db.models import QuerySet
from django.urls import get_resolver, reverse

from programmes.models import Programme
from programmes.services.programme import RESERVED_SLUGS, create_programme


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["New", "Invitations", "new"])
def test_a_programme_named_like_a_fixed_route_has_a_reachable_home_page(client, cast, name):
    programme = create_programme(name=name, by=cast.lead)
    assert programme.slug not in RESERVED_SLUGS
    client.force_login(cast.lead)
    page = client.get(programme.get_absolute_url())
    assert page.status_code == 200
    assert programme.name in page.content.decode()
    assert reverse("programmes:create") == "/programmes/new/"  # and that page still works
    assert client.get(reverse("programmes:create")).status_code == 200


def test_every_fixed_route_beside_a_programmes_address_is_reserved():
    fixed = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) != "programmes/":
            continue
        for inner in pattern.url_patterns:
            first = str(inner.pattern).split("/")[0]
            if first and "<" not in first:
                fixed.add(first)
    assert fixed == set(RESERVED_SLUGS)


@pytest.mark.django_db
def test_two_programmes_of_the_same_name_made_at_once_both_get_an_address(cast):
    first = create_programme(name="Race", by=cast.lead)
    real_exists = QuerySet.exists
    calls = {"n": 0}

    def stale_first_check(queryset):
        # The second request checked before the first one's row was there.
        calls["n"] += 1
        return False if calls["n"] == 1 else real_exists(queryset)

    with mock.patch.object(QuerySet, "exists", stale_first_check):
        second = create_programme(name="Race", by=cast.lead)
    assert (first.slug, second.slug) == ("race", "race-2")
    assert Programme.objects.filter(name="Race").count() == 2
