"""The session log puts the mentoring guidelines self-check before the buttons that log it,
so a mentor on a phone meets it on the way to "Log session", not after."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_guidelines_self_check_comes_before_the_buttons_that_log_the_session(client, cast):
    client.force_login(cast.mentor)
    start = reverse(
        "mentoring:session_start", args=[cast.programme.slug, cast.mentee_membership.pk]
    )
    html = client.post(start, follow=True).content.decode()
    guidelines = html.index('id="guidelines-title"')
    assert guidelines < html.index('<button type="submit" name="log"')
    assert guidelines < html.index('<button type="submit" name="save"')
    assert "A moment's self-check before you log the session" in html
