"""A 405 looks like the product and says what to do: opening the address a button posts to
(a `require_POST` view) is no longer a blank page. The status and the Allow header stay."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseNotAllowed
from django.urls import include, path, reverse
from django.views.decorators.http import require_GET, require_POST

from mentoring.services.session import save_session, start_session
from programmes.models import Pairing
from tests.test_error_pages import assert_product_page
from tests.test_site_pages import assert_strict_csp

RIGHT = "\N{RIGHT SINGLE QUOTATION MARK}"


@login_not_required
@require_POST
def public_button(request):
    raise AssertionError("never reached by a GET")


@login_not_required
@require_GET
def public_page(request):
    raise AssertionError("never reached by a POST")


@login_not_required
def explained(request):
    return HttpResponseNotAllowed(["GET"], content=b"Use GET, as the API documents.")


# This module is also the URLconf of the tests that need a public POST-only address.
urlpatterns = [
    path("button/", public_button),
    path("page/", public_page),
    path("explained/", explained),
    path("", include("mentoring.urls")),
]


def _session(cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    session = start_session(pairing=pairing, by=cast.mentor)
    return save_session(
        session=session, by=cast.mentor, version=session.version, fields={}, log=True
    )


@pytest.mark.django_db
def test_opening_the_reflection_forms_address_shows_the_products_405_and_what_to_do(client, cast):
    session = _session(cast)
    address = reverse(
        "mentoring:session_reflect", kwargs={"slug": cast.programme.slug, "pk": session.pk}
    )
    client.force_login(cast.mentee)
    response = client.get(address)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert_product_page(html)
    assert_strict_csp(response)
    assert "<title>Not a page to open · Mentoring</title>" in html
    assert "This address belongs to a button, not a page" in html
    assert "Nothing was changed." in html
    assert "use its button there" in html
    assert (
        f'href="{reverse("programmes:detail", args=[cast.programme.slug])}">the programme' in html
    )
    assert f'href="{reverse("mentoring:home")}">Go to your home page' in html
    assert 'class="main-nav"' in html  # still signed in, with their navigation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "for_the_mentee"),
    [
        ("mentoring:session_start", True),
        ("playbooks:personal_target", True),
        ("programmes:invite", False),
    ],
)
def test_other_post_only_addresses_get_the_page_too(client, cast, name, for_the_mentee):
    kwargs = {"slug": cast.programme.slug}
    if for_the_mentee:
        kwargs["member"] = cast.mentee_membership.pk
    client.force_login(cast.lead)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 405
    assert "This address belongs to a button, not a page" in response.content.decode()


@pytest.mark.django_db
def test_a_visitor_is_asked_to_sign_in_first(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/button/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    html = response.content.decode()
    assert_product_page(html)
    assert f'href="{reverse("account_login")}">Sign in</a>' in html
    assert 'class="main-nav"' not in html


@pytest.mark.django_db
def test_a_page_sent_a_form_it_does_not_take_says_so_in_general_words(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.post("/page/")
    assert response.status_code == 405 and response["Allow"] == "GET"
    html = response.content.decode()
    assert_product_page(html)
    assert f"This page can{RIGHT}t be opened that way" in html
    assert "belongs to a button" not in html


@pytest.mark.django_db
def test_a_405_that_explains_itself_is_left_as_it_is(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.post("/explained/")
    assert response.status_code == 405
    assert response.content == b"Use GET, as the API documents."
