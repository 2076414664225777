"""Who gets what, for every route of the project: the access matrix, as data.

The rule is PRODUCT.md's "Who may see what": what a person may not see does not exist for
them (404); only a person who may see a page but not do this on it gets a 403. Anyone not
signed in is sent to sign in, except on the few public addresses, where a token in the
address is the proof. Site staff get the admin; on product pages they are anyone else.

Each route names what its address opens (`pk` and `token` mean something different on each
page: an attribute of the test's world, see tests/test_access_matrix.py; the other
parameters open the same object wherever they appear: `member` is the mentee of the pair)
and, for GET and for POST, one outcome per role, in the order of `ROLES`:

- a status code: exactly that (302: a redirect somewhere other than the sign-in page);
- `LOGIN`: a redirect to the sign-in page;
- `ALLOWED`: the change is theirs to make. The body sent is empty or minimal, so the answer
  may be a redirect, a page with the form's errors (200 or 400), a conflict (409): anything
  but a refusal (403, 404, 405, a sign-in redirect) or an error (500).

Every outcome other than `ALLOWED` must also leave every row of the project's apps as it
was: a refused change changes nothing, and no page changes anything by being read.

A route only reads unless its entry says otherwise: POST is then refused (405). Every read
page has `@require_GET` (or lists its methods), so none answers POST as it answers GET.

tests/test_access_matrix.py walks all of it as each role, and fails for any route of the
project's apps that the matrix does not list, so a new page cannot ship unchecked. allauth's
and the admin's routes are listed as groups, by prefix, each with a few samples walked the
same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

ROLES = (
    "anonymous",
    "mentee",  # the mentee of the pair every address points at
    "other_mentee",  # another mentee of the same programme, with another mentor
    "mentor",  # the mentee's mentor
    "other_mentor",  # another mentor of the same programme, not theirs
    "lead",  # a lead of the programme
    "other_lead",  # a lead of another programme
    "staff",  # site staff (is_staff and is_superuser), with no role in any programme
)

LOGIN = "login"
ALLOWED = "allowed"

type Outcome = int | str
type Row = tuple[Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]
type Body = Callable[[Any], dict[str, Any]]

# The wrong method, whoever asks (anyone not signed in is sent to sign in first): POST on a
# route that only reads, GET on one that only changes things.
READS_ONLY: Row = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
POST_ONLY: Row = READS_ONLY


@dataclass(frozen=True)
class Entry:
    """One route: what its `pk` or `token` opens, and each method's outcome per role."""

    GET: Row
    POST: Row = READS_ONLY  # by default a route only reads: POST is the wrong method
    pk: str = ""  # the attribute of the world that `pk` opens
    token: str = ""  # the attribute of the world that holds the token
    body: Body | None = field(default=None, compare=False)  # a minimal POST body
    follow: bool = False  # judge where its redirects end (the admin's samples)

    def outcomes(self, method: str) -> dict[str, Outcome]:
        row = self.GET if method == "GET" else self.POST
        assert len(row) == len(ROLES)
        return dict(zip(ROLES, row, strict=True))


# --- The rows that recur --------------------------------------------------------------------
#                anonymous mentee other_mentee mentor other_mentor lead  other_lead staff
PUBLIC: Row = (200, 200, 200, 200, 200, 200, 200, 200)
PUBLIC_READS_ONLY: Row = (405, 405, 405, 405, 405, 405, 405, 405)
SIGNED_IN: Row = (LOGIN, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_DOES: Row = (LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
# The programme's own pages, read by everyone in it; outsiders are not told it exists.
MEMBERS: Row = (LOGIN, 200, 200, 200, 200, 200, 404, 404)
# Setting the programme up: its people may see the programme, not change it (403).
LEADS: Row = (LOGIN, 403, 403, 403, 403, 200, 404, 404)
LEADS_DO: Row = (LOGIN, 403, 403, 403, 403, ALLOWED, 404, 404)
# The programme in aggregate (dashboard, nudges): nobody but its leads is told it exists.
LEADS_SEE: Row = (LOGIN, 404, 404, 404, 404, 200, 404, 404)
LEADS_SEE_DO: Row = (LOGIN, 404, 404, 404, 404, ALLOWED, 404, 404)
# The mentee's own page of the programme (no one else's in the address).
MENTEES_OWN: Row = (LOGIN, 200, 200, 403, 403, 403, 404, 404)
MENTEES_OWN_DO: Row = (LOGIN, ALLOWED, ALLOWED, 403, 403, 403, 404, 404)
# The mentee's data, read by them (sent to their own page), their mentor and their lead.
ABOUT_THE_MENTEE: Row = (LOGIN, 302, 404, 200, 404, 200, 404, 404)
# The mentee's playbook: the same people read it, the mentee on the same page.
THE_PLAYBOOK: Row = (LOGIN, 200, 404, 200, 404, 200, 404, 404)
# A change that is the mentee's own; their mentor and lead may see it, not make it.
THE_MENTEE_DOES: Row = (LOGIN, ALLOWED, 404, 403, 404, 403, 404, 404)
# A change that is the mentor's; the mentee and the lead may see it, not make it.
THE_MENTOR_DOES: Row = (LOGIN, 403, 404, ALLOWED, 404, 403, 404, 404)
# A lead's change about the mentee; the mentee and their mentor see it, cannot make it.
THE_LEAD_DOES: Row = (LOGIN, 403, 404, 403, 404, ALLOWED, 404, 404)
# What the pair wrote in a session: the pair only. A lead sees figures, never the record.
THE_PAIR_READS: Row = (LOGIN, 200, 404, 200, 404, 404, 404, 404)


def _in_two_weeks(_world: Any) -> dict[str, Any]:
    return {"until": (timezone.localdate() + timedelta(days=14)).isoformat()}


def _section_text(world: Any) -> dict[str, Any]:
    return {"body": "Not mine to write", "version": world.section.version, "editor": "matrix"}


# --- The project's routes -------------------------------------------------------------------

MATRIX: dict[str, Entry] = {
    "healthz": Entry(GET=PUBLIC, POST=PUBLIC_READS_ONLY),
    # The account's own pages: everyone signed in has their own.
    "mentoring:home": Entry(GET=SIGNED_IN),
    "mentoring:profile": Entry(GET=SIGNED_IN, POST=SIGNED_IN_DOES),
    # Everything the product holds about the person: their own, whoever they are.
    "mentoring:account_data": Entry(GET=SIGNED_IN),
    "mentoring:account_data_download": Entry(GET=SIGNED_IN),
    # Closing one's own account (a POST asks to sign in again first).
    "mentoring:account_delete": Entry(GET=SIGNED_IN, POST=SIGNED_IN_DOES),
    # Why a programme asks for two-factor, and the way to set it up: about oneself.
    "mentoring:two_factor_required": Entry(GET=SIGNED_IN),
    "mentoring:calendar": Entry(GET=SIGNED_IN),
    "mentoring:calendar_issue": Entry(GET=POST_ONLY, POST=SIGNED_IN_DOES),
    "mentoring:calendar_revoke": Entry(GET=POST_ONLY, POST=SIGNED_IN_DOES),
    # Public: calendar apps cannot sign in; the token in the address is the secret.
    "mentoring:calendar_feed": Entry(token="feed_token", GET=PUBLIC, POST=PUBLIC_READS_ONLY),
    "mentoring:notifications": Entry(GET=SIGNED_IN),
    # The mentee's notification: theirs alone.
    "mentoring:notification_open": Entry(
        pk="notification",
        GET=POST_ONLY,
        POST=(LOGIN, ALLOWED, 404, 404, 404, 404, 404, 404),
    ),
    "mentoring:notifications_read": Entry(GET=POST_ONLY, POST=SIGNED_IN_DOES),
    "mentoring:notification_settings": Entry(GET=SIGNED_IN, POST=SIGNED_IN_DOES),
    "mentoring:notification_snooze": Entry(GET=POST_ONLY, POST=SIGNED_IN_DOES),
    # Public: one-click unsubscribe from an email; the signed token is the proof. GET only
    # asks (link scanners follow links), POST does it, for whoever holds the link.
    "mentoring:unsubscribe": Entry(
        token="unsubscribe_token",
        GET=PUBLIC,
        POST=(ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    ),
    # The lead's views of the programme in aggregate.
    "mentoring:nudges": Entry(GET=LEADS_SEE, POST=LEADS_SEE_DO),
    "mentoring:dashboard": Entry(GET=LEADS_SEE),
    "mentoring:dashboard_answers": Entry(GET=LEADS_SEE),
    "mentoring:dashboard_csv": Entry(GET=LEADS_SEE),
    "mentoring:dashboard_remind": Entry(GET=POST_ONLY, POST=LEADS_SEE_DO),
    "mentoring:dashboard_set_aside": Entry(GET=POST_ONLY, POST=LEADS_SEE_DO),
    "mentoring:dashboard_bring_back": Entry(GET=POST_ONLY, POST=LEADS_SEE_DO),
    # A lead removes the mentee from the programme; the mentee and their mentor may see the
    # mentee, not remove them.
    "mentoring:member_remove": Entry(
        GET=(LOGIN, 403, 404, 403, 404, 200, 404, 404), POST=THE_LEAD_DOES
    ),
    # Pairing people up is the lead's.
    # Who is paired with whom, and each pair's figures: other people's, a lead's pages only.
    "mentoring:pairings": Entry(GET=LEADS_SEE),
    "mentoring:pairing_edit": Entry(GET=LEADS_SEE, POST=LEADS_SEE_DO),
    "mentoring:pairing_end": Entry(pk="pairing", GET=POST_ONLY, POST=LEADS_DO),
    # "My mentoring" exists for a mentee only: nobody else has one (404).
    "mentoring:mine": Entry(
        GET=(LOGIN, 200, 200, 404, 404, 404, 404, 404),
        POST=(LOGIN, ALLOWED, ALLOWED, 404, 404, 404, 404, 404),
    ),
    "mentoring:change_request": Entry(
        GET=POST_ONLY, POST=(LOGIN, ALLOWED, ALLOWED, 404, 404, 404, 404, 404)
    ),
    # How the mentee wants to be mentored: read by their mentor and lead.
    "mentoring:partner": Entry(GET=ABOUT_THE_MENTEE),
    # A cadence is agreed by the pair. The lead reads it, but the pair's proposals are not
    # addressed to them: the pairing is not theirs to propose on (404).
    "mentoring:cadence_propose": Entry(
        pk="pairing",
        GET=POST_ONLY,
        POST=(LOGIN, ALLOWED, 404, ALLOWED, 404, 404, 404, 404),
    ),
    # The mentor proposed it, so the mentee answers; the mentor is sent back to the page
    # with "the other person in the pair answers a proposal", and nothing changes.
    "mentoring:cadence_answer": Entry(
        pk="agreement",
        body=lambda w: {"accept": "1"},
        GET=POST_ONLY,
        POST=(LOGIN, ALLOWED, 404, 302, 404, 404, 404, 404),
    ),
    # Only whoever proposed it withdraws it: here the mentor; the mentee is sent back to the
    # page with "only whoever proposed a cadence withdraws it", and nothing changes.
    "mentoring:cadence_withdraw": Entry(
        pk="agreement",
        GET=POST_ONLY,
        POST=(LOGIN, 302, 404, ALLOWED, 404, 404, 404, 404),
    ),
    # The mentor's own offer: every mentor has one; nobody else does (404).
    "mentoring:mentor_profile": Entry(
        GET=(LOGIN, 404, 404, 200, 200, 404, 404, 404),
        POST=(LOGIN, 404, 404, ALLOWED, ALLOWED, 404, 404, 404),
    ),
    # Sessions: the pair's record. The lead is sent to the figures.
    "mentoring:sessions": Entry(GET=(LOGIN, 200, 200, 200, 200, 302, 404, 404)),
    "mentoring:session_start": Entry(GET=POST_ONLY, POST=THE_MENTOR_DOES),
    "mentoring:session": Entry(pk="logged", GET=THE_PAIR_READS),
    "mentoring:session_ics": Entry(pk="logged", GET=THE_PAIR_READS),
    # The mentor writes the log; the mentee reads the record, so it exists for them (403).
    "mentoring:session_edit": Entry(
        pk="logged",
        GET=(LOGIN, 403, 404, 200, 404, 404, 404, 404),
        POST=(LOGIN, 403, 404, ALLOWED, 404, 404, 404, 404),
    ),
    # A draft is the mentor's alone until it is logged.
    "mentoring:session_autosave": Entry(
        pk="draft", GET=POST_ONLY, POST=(LOGIN, 404, 404, ALLOWED, 404, 404, 404, 404)
    ),
    "mentoring:session_discard": Entry(
        pk="draft", GET=POST_ONLY, POST=(LOGIN, 404, 404, ALLOWED, 404, 404, 404, 404)
    ),
    "mentoring:session_reflect": Entry(
        pk="logged", GET=POST_ONLY, POST=(LOGIN, ALLOWED, 404, 403, 404, 404, 404, 404)
    ),
    # Either of the pair ticks an agreed action; nobody else sees it.
    "mentoring:action_done": Entry(
        pk="action", GET=POST_ONLY, POST=(LOGIN, ALLOWED, 404, ALLOWED, 404, 404, 404, 404)
    ),
    "mentoring:session_figures": Entry(GET=LEADS_SEE),
    "mentoring:session_figures_csv": Entry(GET=LEADS_SEE),
    # Guidelines: read by everyone in the programme, kept by its leads.
    "mentoring:guidelines": Entry(GET=MEMBERS, POST=LEADS_DO),
    "mentoring:guideline_edit": Entry(pk="guideline", GET=POST_ONLY, POST=LEADS_DO),
    "mentoring:guideline_remove": Entry(pk="guideline", GET=POST_ONLY, POST=LEADS_DO),
    # --- Programmes ---
    "programmes:list": Entry(GET=SIGNED_IN),
    "programmes:create": Entry(GET=SIGNED_IN, POST=SIGNED_IN_DOES),
    # Public: the invitation link is the proof. Accepting it is for its own address only:
    # anyone else signed in is sent back to it with the reason, and nothing changes.
    "programmes:invitation": Entry(
        token="invitation_token",
        GET=PUBLIC,
        POST=(200, 302, 302, 302, 302, 302, 302, 302),
    ),
    "programmes:detail": Entry(GET=(LOGIN, 302, 302, 200, 200, 200, 404, 404)),
    "programmes:edit": Entry(GET=LEADS, POST=LEADS_DO),
    "programmes:duplicate": Entry(GET=POST_ONLY, POST=LEADS_DO),
    # The audit trail: read by the programme's leads; nobody else is told it exists.
    "programmes:audit": Entry(GET=LEADS_SEE),
    "programmes:phases": Entry(GET=LEADS),
    "programmes:phase_add": Entry(GET=LEADS, POST=LEADS_DO),
    "programmes:phase_edit": Entry(pk="phase", GET=LEADS, POST=LEADS_DO),
    "programmes:phase_move": Entry(pk="phase", GET=POST_ONLY, POST=LEADS_DO),
    "programmes:phase_remove": Entry(pk="phase", GET=POST_ONLY, POST=LEADS_DO),
    # Everyone in the programme, with their phase and pace: a lead's page only.
    "programmes:people": Entry(GET=LEADS_SEE),
    "programmes:invite": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "programmes:import": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "programmes:invitation_resend": Entry(pk="invitation", GET=POST_ONLY, POST=LEADS_DO),
    "programmes:invitation_revoke": Entry(pk="invitation", GET=POST_ONLY, POST=LEADS_DO),
    # A journey exists for a mentee only.
    "programmes:my_journey": Entry(GET=(LOGIN, 200, 200, 404, 404, 404, 404, 404)),
    "programmes:member_journey": Entry(GET=ABOUT_THE_MENTEE),
    # Their mentor or a lead moves them on; only a lead moves them back.
    "programmes:member_advance": Entry(
        GET=POST_ONLY, POST=(LOGIN, 403, 404, ALLOWED, 404, ALLOWED, 404, 404)
    ),
    "programmes:member_move_back": Entry(GET=POST_ONLY, POST=THE_LEAD_DOES),
    # A pause is the mentee's own or their lead's; their mentor may not pause them.
    "programmes:member_pause": Entry(
        body=_in_two_weeks,
        GET=POST_ONLY,
        POST=(LOGIN, ALLOWED, 404, 403, 404, ALLOWED, 404, 404),
    ),
    "programmes:member_resume": Entry(
        GET=POST_ONLY, POST=(LOGIN, ALLOWED, 404, 403, 404, ALLOWED, 404, 404)
    ),
    # Workshops: everyone in the programme reads them; leads run them; mentees book.
    "programmes:workshops": Entry(GET=MEMBERS),
    "programmes:workshop_create": Entry(GET=LEADS, POST=LEADS_DO),
    "programmes:workshop_detail": Entry(pk="workshop", GET=MEMBERS),
    "programmes:workshop_edit": Entry(pk="workshop", GET=LEADS, POST=LEADS_DO),
    "programmes:workshop_delete": Entry(pk="workshop", GET=LEADS, POST=LEADS_DO),
    "programmes:workshop_book": Entry(pk="workshop", GET=POST_ONLY, POST=MENTEES_OWN_DO),
    "programmes:workshop_unbook": Entry(pk="workshop", GET=POST_ONLY, POST=MENTEES_OWN_DO),
    # Who booked and who came: other people's, so a lead's page only.
    "programmes:workshop_attendance": Entry(pk="workshop", GET=LEADS_SEE, POST=LEADS_SEE_DO),
    "programmes:workshop_ics": Entry(pk="workshop", GET=MEMBERS),
    # The self-assessment: each mentee's own; the lead's questions.
    "programmes:assessment": Entry(GET=MENTEES_OWN),
    "programmes:assessment_questions": Entry(GET=LEADS),
    "programmes:assessment_question_add": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "programmes:assessment_question_edit": Entry(GET=LEADS, POST=LEADS_DO),
    "programmes:assessment_question_move": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "programmes:assessment_question_remove": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "programmes:assessment_follow_up_point": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "programmes:assessment_round": Entry(GET=MENTEES_OWN, POST=MENTEES_OWN_DO),
    "programmes:assessment_autosave": Entry(GET=POST_ONLY, POST=MENTEES_OWN_DO),
    "programmes:member_assessment": Entry(GET=ABOUT_THE_MENTEE),
    # --- Playbooks ---
    # Each mentee's own playbook; mentors and leads get the list of those they may read.
    "playbooks:playbook": Entry(GET=(LOGIN, 200, 200, 200, 200, 200, 404, 404)),
    "playbooks:member_playbook": Entry(GET=THE_PLAYBOOK),
    "playbooks:playbook_print": Entry(GET=THE_PLAYBOOK),
    "playbooks:playbook_download": Entry(GET=THE_PLAYBOOK),
    # A section of the mentee's playbook: they write it, their mentor reviews and comments,
    # their lead reads.
    "playbooks:section": Entry(GET=THE_PLAYBOOK, POST=THE_MENTEE_DOES, body=_section_text),
    "playbooks:section_autosave": Entry(GET=POST_ONLY, POST=THE_MENTEE_DOES, body=_section_text),
    "playbooks:section_revisions": Entry(GET=THE_PLAYBOOK),
    "playbooks:section_revision": Entry(GET=THE_PLAYBOOK),
    "playbooks:section_restore": Entry(
        GET=POST_ONLY, POST=THE_MENTEE_DOES, body=lambda w: {"version": w.section.version}
    ),
    "playbooks:section_submit": Entry(GET=POST_ONLY, POST=THE_MENTEE_DOES),
    "playbooks:section_reopen": Entry(GET=POST_ONLY, POST=THE_MENTEE_DOES),
    "playbooks:section_complete": Entry(GET=POST_ONLY, POST=THE_MENTOR_DOES),
    "playbooks:section_send_back": Entry(GET=POST_ONLY, POST=THE_MENTOR_DOES),
    "playbooks:section_comment": Entry(
        GET=POST_ONLY,
        POST=(LOGIN, ALLOWED, 404, ALLOWED, 404, 403, 404, 404),
        body=lambda w: {"body": "A word from me"},
    ),
    "playbooks:template": Entry(GET=LEADS),
    "playbooks:template_add": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:template_edit": Entry(GET=LEADS, POST=LEADS_DO),
    "playbooks:template_move": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:template_remove": Entry(GET=POST_ONLY, POST=LEADS_DO),
    # The checklist: each mentee's and mentor's own; a lead is sent to the activities.
    "playbooks:checklist": Entry(GET=(LOGIN, 200, 200, 200, 200, 302, 404, 404)),
    "playbooks:member_checklist": Entry(GET=ABOUT_THE_MENTEE),
    # Logging is the mentee's own: the page to log is theirs alone to open.
    "playbooks:log_completion": Entry(
        GET=(LOGIN, 200, 404, 403, 404, 403, 404, 404),
        POST=THE_MENTEE_DOES,
        body=lambda w: {"quick": "1"},
    ),
    "playbooks:personal_target": Entry(
        GET=POST_ONLY, POST=THE_MENTEE_DOES, body=lambda w: {"per_week": "3"}
    ),
    "playbooks:undo_completion": Entry(pk="completion", GET=POST_ONLY, POST=THE_MENTEE_DOES),
    "playbooks:activities": Entry(GET=LEADS),
    "playbooks:activity_create": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:activity_edit": Entry(pk="activity", GET=LEADS, POST=LEADS_DO),
    "playbooks:activity_remove": Entry(pk="activity", GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:activity_move": Entry(pk="activity", GET=POST_ONLY, POST=LEADS_DO),
    # Integration: the lead's business strategy; each mentee maps their own themes.
    "playbooks:strategy": Entry(GET=LEADS),
    "playbooks:strategy_edit": Entry(GET=LEADS, POST=LEADS_DO),
    "playbooks:pillar_create": Entry(GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:pillar_edit": Entry(pk="pillar", GET=LEADS, POST=LEADS_DO),
    "playbooks:pillar_remove": Entry(pk="pillar", GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:pillar_move": Entry(pk="pillar", GET=POST_ONLY, POST=LEADS_DO),
    "playbooks:sign_off": Entry(GET=POST_ONLY, POST=THE_LEAD_DOES),
    "playbooks:integration": Entry(GET=(LOGIN, 200, 200, 403, 403, 302, 404, 404)),
    "playbooks:member_integration": Entry(GET=ABOUT_THE_MENTEE),
    "playbooks:map_theme": Entry(GET=POST_ONLY, POST=MENTEES_OWN_DO),
    "playbooks:unmap_theme": Entry(pk="mapping", GET=POST_ONLY, POST=THE_MENTEE_DOES),
}


# --- allauth and the admin, by prefix ---------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Routes of a third-party app under one prefix, and a few samples, each opened (GET)
    as each role."""

    prefix: str
    samples: dict[str, Entry]


GROUPS: dict[str, Group] = {
    "allauth": Group(
        prefix="accounts/",
        samples={
            # Signing in is for those who aren't; anyone signed in is sent on.
            "account_login": Entry(GET=(200, 302, 302, 302, 302, 302, 302, 302)),
            "account_email": Entry(GET=SIGNED_IN),
            "account_change_password": Entry(GET=SIGNED_IN),
            "mfa_index": Entry(GET=SIGNED_IN),
            "usersessions_list": Entry(GET=SIGNED_IN),
        },
    ),
    "admin": Group(
        prefix="admin/",
        # Site staff get the admin; nobody else does, whatever their role in a programme.
        # Its pages send everyone else to its sign-in page, which sends them on to the
        # site's (anonymous) or refuses them (403); `follow` judges where that ends.
        samples={
            name: Entry(follow=True, GET=(LOGIN, 403, 403, 403, 403, 403, 403, 200))
            for name in (
                "admin:index",
                "admin:programmes_programme_changelist",
                "admin:mentoring_user_changelist",
                "admin:programmes_membership_changelist",
            )
        },
    ),
}
