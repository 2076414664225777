"""Error pages look like the product and say what to do next: 403, 404, the CSRF failure and
500, which stands alone so that it renders with no database and no request."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.views.defaults import server_error

from playbooks.models import Activity
from tests.test_site_pages import assert_nothing_inline, assert_strict_csp


@login_not_required
def broken(request):
    raise RuntimeError("the database went away")


@login_not_required
def refused(request):
    raise PermissionDenied


# This module is also the URLconf of the tests that need a page that fails on purpose.
urlpatterns = [
    path("broken/", broken),
    path("refused/", refused),
    path("", include("mentoring.urls")),
]


def assert_product_page(html: str) -> None:
    """The page shell: the stylesheet, the brand linking home, the footer."""
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html
    assert 'class="brand"' in html and 'aria-label="Mentoring, home"' in html
    assert 'class="site-footer"' in html
    assert "What you can do" in html
    assert_nothing_inline(html)


@pytest.mark.django_db
def test_a_missing_page_for_a_signed_in_person_keeps_their_navigation_and_points_home(client, cast):
    client.force_login(cast.mentor)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_product_page(html)
    assert_strict_csp(response)
    assert "We can\N{RIGHT SINGLE QUOTATION MARK}t find that page" in html
    assert "<title>Page not found · Mentoring</title>" in html
    assert 'class="main-nav"' in html and "Mo Mentor" in html
    assert f'href="{reverse("mentoring:home")}">Go to your home page' in html
    assert f'href="{reverse("programmes:list")}">Your programmes' in html


@pytest.mark.django_db
def test_a_missing_page_for_a_visitor_has_no_navigation_and_no_debug_detail(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_product_page(html)
    assert 'class="main-nav"' not in html
    assert "Resolver404" not in html and "urlpatterns" not in html


@pytest.mark.django_db
def test_a_programme_object_that_is_not_yours_is_a_product_404(client, cast):
    client.force_login(cast.other_lead)
    response = client.get(reverse("programmes:people", args=[cast.programme.slug]))
    assert response.status_code == 404
    assert "We can\N{RIGHT SINGLE QUOTATION MARK}t find that page" in response.content.decode()
    assert "No Programme matches" not in response.content.decode()


@pytest.mark.django_db
def test_a_mentor_who_posts_a_mentees_tick_form_is_told_why_and_where_to_go(client, cast):
    activity = Activity.objects.filter(programme=cast.programme).first()
    assert activity is not None
    address = reverse(
        "playbooks:log_completion",
        args=[cast.programme.slug, cast.mentee_membership.pk, activity.pk],
    )
    client.force_login(cast.mentor)
    response = client.post(address, {"quick": "1"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_product_page(html)
    assert_strict_csp(response)
    assert "You can\N{RIGHT SINGLE QUOTATION MARK}t do that here" in html
    assert "Only the person who did an activity can log it." in html
    assert f'href="{reverse("programmes:detail", args=[cast.programme.slug])}"' in html
    assert "ask your programme lead" in html
    assert "signed in as mentor@example.org" in html
    assert "403 Forbidden" not in html


@pytest.mark.django_db
def test_a_refusal_without_a_reason_says_so_plainly_and_asks_a_visitor_to_sign_in(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/refused/")
    assert response.status_code == 403
    html = response.content.decode()
    assert_product_page(html)
    assert "Your account can\N{RIGHT SINGLE QUOTATION MARK}t open or change this." in html
    assert f'href="{reverse("account_login")}">Sign in</a>' in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_explains_that_it_expired(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.mentee)
    response = client.post(reverse("mentoring:profile"), {"name": "Someone else"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_product_page(html)
    assert_strict_csp(response)
    assert "That form has expired, so nothing was saved" in html
    assert "send the form again" in html
    assert 'class="main-nav"' in html
    assert "CSRF verification failed" not in html
    cast.mentee.refresh_from_db()
    assert cast.mentee.name == "Mia Mentee"


def test_the_500_page_renders_with_no_request_and_no_database():
    """No `django_db` mark: any query while rendering fails this test."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert_product_page(html)
    assert "Sorry, something went wrong on our side" in html
    assert '<a class="button" href="/">Go to your home page</a>' in html
    assert "{%" not in html and "{{" not in html


def test_an_unexpected_error_shows_the_500_page(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert "the database went away" not in html and "Traceback" not in html
