"""A notification's plain-text body as HTML: lists, paragraphs, and everything escaped."""

from mentoring.templatetags.text import text_blocks


def test_dash_lines_become_a_list_and_other_lines_paragraphs_with_their_breaks():
    text = "Three people:\nsee below\n- Ben <b> (stalled): 60 days\n- Amy & co\n\nThanks."
    assert text_blocks(text) == (
        "<p>Three people:<br>see below</p>"
        "<ul><li>Ben &lt;b&gt; (stalled): 60 days</li><li>Amy &amp; co</li></ul>"
        "<p>Thanks.</p>"
    )


def test_a_class_goes_on_each_block_and_an_empty_body_gives_nothing():
    assert text_blocks("One\n- two", "notification__body") == (
        '<p class="notification__body">One</p><ul class="notification__body"><li>two</li></ul>'
    )
    assert text_blocks("") == "" and text_blocks(None) == ""
