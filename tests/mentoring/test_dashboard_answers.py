"""The dashboard's panels built on what people answered: confidence and capability, asked
not assumed, and mentoring practice (mentoring/selectors/answers.py and its partial)."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import (
    CadenceAgreement,
    Guideline,
    GuidelineCheck,
    MentoringSession,
    Reflection,
)
from mentoring.selectors.answers import CSV_TABLES, WHOLE_PROGRAMME, answers, feedback
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.engagement import save_preferences
from mentoring.services.session import reflect_on_session, save_session, start_session
from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    Membership,
    Pairing,
    Programme,
    QuestionKind,
    Role,
)
from programmes.services.assessment import save_assessment
from programmes.spreadsheet import csv_lines
from tests.factories import make_mentee, make_mentor, make_programme, make_user, noon_days_ago

MARKER = "PRIVATE-MARKER-7731"
BASELINE, FOLLOW_UP = AssessmentKind.BASELINE, AssessmentKind.FOLLOW_UP


# --- Building a small programme by hand ------------------------------------------------------


@pytest.fixture
def programme(db):
    programme = make_programme(make_user("Lena Lead"))
    # One skill keeps the figures easy to work out by hand: LinkedIn, in two dimensions.
    AssessmentQuestion.objects.filter(programme=programme, kind=QuestionKind.SCALE).exclude(
        topic="LinkedIn"
    ).delete()
    return programme


def cohort(programme, *exclude):
    return Membership.objects.filter(programme=programme, role=Role.MENTEE, is_active=True).exclude(
        pk__in=[m.pk for m in exclude]
    )


def assess(mentee, kind, confidence, capability, *, submit=True):
    questions = AssessmentQuestion.objects.filter(programme=mentee.programme)
    scores = {q.dimension: q.pk for q in questions if q.kind == QuestionKind.SCALE}
    written = {q.pk: MARKER for q in questions if q.kind == QuestionKind.TEXT}
    if kind == FOLLOW_UP:
        mentee.operationalised_at = timezone.now()  # the follow-up opens at the end
        Membership.objects.filter(pk=mentee.pk).update(operationalised_at=mentee.operationalised_at)
    save_assessment(
        membership=mentee,
        kind=kind,
        version=0,
        answers={scores["confidence"]: confidence, scores["capability"]: capability, **written},
        submit=submit,
        by=mentee.user,
    )


def pairing_of(mentee) -> Pairing:
    return Pairing.objects.select_related("mentor__user", "mentee__user").get(
        mentee=mentee, ended_at__isnull=True
    )


def agree(mentee, cadence, channel=""):
    pairing = pairing_of(mentee)
    proposal = propose_cadence(
        pairing=pairing, by=pairing.mentor.user, cadence=cadence, channel=channel
    )
    answer_cadence(agreement=proposal, by=mentee.user, accept=True)


def log(mentee, *, days_ago=3, channel="video", checks=(), **feedback):
    """A logged session, with notes, an action, self-check notes and a reflection, all
    carrying the marker that must never reach a lead."""
    pairing = pairing_of(mentee)
    mentor = pairing.mentor.user
    at = timezone.now() - timedelta(days=days_ago)
    session = start_session(pairing=pairing, by=mentor, at=at)
    guidelines = Guideline.objects.filter(programme=mentee.programme).order_by("position", "pk")
    save_session(
        session=session,
        by=mentor,
        version=session.version,
        fields={
            "channel": channel,
            "topics": MARKER,
            "resonated": MARKER,
            "learning_shared": MARKER,
        },
        actions=[{"text": MARKER, "due_on": at.date() + timedelta(days=7)}],
        checks={g.pk: (answer, MARKER) for g, answer in zip(guidelines, checks, strict=False)},
        log=True,
    )
    if feedback:
        reflect_on_session(session=session, by=mentee.user, body=MARKER, **feedback)
    return session


def month_of(days_ago: int) -> str:
    return f"{timezone.localdate(timezone.now() - timedelta(days=days_ago)):%b %Y}"


# --- Confidence and capability ---------------------------------------------------------------


@pytest.fixture
def assessed(programme):
    mentor = make_mentor(programme)
    a, b, c, d = (make_mentee(programme, mentor=mentor) for _ in range(4))
    assess(a, BASELINE, 2, 1)
    assess(a, FOLLOW_UP, 4, 3)
    assess(b, BASELINE, 3, 3)
    assess(b, FOLLOW_UP, 3, 5)
    assess(c, BASELINE, 1, 2)
    assess(d, BASELINE, 5, 5, submit=False)  # a draft is the mentee's own
    return a, b, c, d


def test_the_cohort_has_its_baseline_latest_and_change_per_skill(programme, assessed):
    found = answers(programme, cohort(programme), today=timezone.localdate()).confidence
    assert (found.mentees, found.baseline, found.follow_up, found.both) == (4, 3, 2, 2)
    [linkedin] = found.rows
    assert linkedin.topic == "LinkedIn"
    # Confidence: baselines 2, 3, 1; latest 4, 3, 1 (C's latest is their baseline); the
    # change among A and B, who answered both: (4-2 + 3-3) / 2.
    assert linkedin.confidence.baseline == pytest.approx(2.0)
    assert linkedin.confidence.latest == pytest.approx(8 / 3)
    assert linkedin.confidence.change == pytest.approx(1.0)
    assert (linkedin.confidence.answered, linkedin.confidence.both) == (3, 2)
    # Capability: baselines 1, 3, 2; latest 3, 5, 2; change (2 + 2) / 2.
    assert linkedin.capability.baseline == pytest.approx(2.0)
    assert linkedin.capability.latest == pytest.approx(10 / 3)
    assert linkedin.capability.change == pytest.approx(2.0)
    assert found.summary == (
        "3 of 4 people have submitted a baseline and 2 a follow-up too; the biggest change is "
        "in LinkedIn (capability): +2.0 points on average, from only 2 people."
    )


def test_the_cohort_figures_follow_the_filtered_cohort(programme, assessed):
    _a, b, c, _d = assessed
    found = answers(programme, cohort(programme, b, c), today=timezone.localdate()).confidence
    [linkedin] = found.rows
    assert (linkedin.confidence.baseline, linkedin.confidence.latest) == (2, 4)
    assert linkedin.capability.change == 2


def test_one_person_has_their_baseline_against_their_latest(programme, assessed):
    a, _b, c, _d = assessed
    today = timezone.localdate()
    person = answers(programme, cohort(programme), today=today, member=a).confidence.person
    assert person is not None and person.membership == a
    [linkedin] = person.rows
    assert (linkedin.confidence.baseline, linkedin.confidence.latest) == (2, 4)
    assert (linkedin.confidence.change, linkedin.capability.change) == (2, 2)
    only_baseline = answers(programme, cohort(programme), today=today, member=c)
    [row] = only_baseline.confidence.person.rows
    assert (row.confidence.latest, row.confidence.change) == (1, None)


def test_a_person_outside_the_cohort_is_not_shown(programme, assessed):
    a, _b, _c, _d = assessed
    today = timezone.localdate()
    filtered_out = answers(programme, cohort(programme, a), today=today, member=a)
    assert filtered_out.confidence.person is None
    elsewhere = make_programme(make_user(), name="Another Programme")
    stranger = make_mentee(elsewhere)
    assert (
        answers(programme, cohort(programme), today=today, member=stranger).confidence.person
        is None
    )


# --- Asked, not assumed ----------------------------------------------------------------------


def test_what_people_asked_for_is_set_against_what_pairs_agreed_and_do(programme):
    mentor = make_mentor(programme)
    a, b, c = (make_mentee(programme, mentor=mentor) for _ in range(3))
    make_mentee(programme)  # D: no mentor, has said nothing
    save_preferences(membership=a, by=a.user, channels=["video", "phone"], cadence="weekly")
    save_preferences(membership=b, by=b.user, channels=["video"], cadence="fortnightly")
    save_preferences(membership=c, by=c.user, channels=["in_person"], cadence="monthly")
    agree(a, "weekly", "video")
    agree(b, "monthly", "phone")  # not what B asked for
    for n in range(9):
        log(a, days_ago=5 + n * 9, channel="video")  # nine in 90 days: weekly
    log(b, days_ago=10, channel="phone")
    log(b, days_ago=40, channel="video")  # two in 90 days: monthly, one off their channel
    log(c, days_ago=120, channel="in_person")  # before the window: none lately
    Pairing.objects.filter(programme=programme).update(started_at=noon_days_ago(200))
    CadenceAgreement.objects.filter(pairing__programme=programme).update(
        answered_at=noon_days_ago(200)
    )

    asked = answers(programme, cohort(programme), today=timezone.localdate()).asked

    rhythm = {row.key: (row.asked, row.agreed, row.kept) for row in asked.rhythm}
    assert rhythm["weekly"] == (1, 1, 1)
    assert rhythm["fortnightly"] == (1, 0, 0)
    assert rhythm["monthly"] == (1, 1, 1)
    assert rhythm["when_needed"] == (0, 0, None)
    assert rhythm["less"] == (None, None, 0)
    assert rhythm["none"] == (None, None, 1)  # C
    assert rhythm["new"] == (None, None, 0)
    assert rhythm[""] == (1, 1, None)  # D said nothing; C's pair agreed nothing
    channels = {row.key: (row.asked, row.agreed, row.used) for row in asked.channels}
    assert channels["video"] == (2, 1, 10)
    assert channels["phone"] == (1, 1, 1)
    assert channels["in_person"] == (1, 0, 0)
    assert (asked.mentees, asked.said, asked.pairs, asked.agreed) == (4, 3, 3, 2)
    assert (asked.as_asked, asked.could_match) == (1, 2)
    assert (asked.keeping, asked.could_keep) == (2, 2)
    assert asked.sessions == 11
    assert asked.per_month == pytest.approx(11 / 3 / 3)
    # In a programme begun 60 days ago, the same sessions were held in two months, not three.
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=timezone.localdate() - timedelta(days=60)
    )
    programme.refresh_from_db()
    younger = answers(programme, cohort(programme), today=timezone.localdate()).asked
    assert younger.per_month == pytest.approx(11 / 3 / 2)
    assert (asked.sessions_on_agreed, asked.sessions_with_agreed) == (10, 11)
    assert "1 of 2 pairs agreed the rhythm their partner asked for" in asked.summary


def test_pairs_judged_over_the_time_they_have_had_and_new_ones_not_at_all(programme):
    """Weekly pairs paired 75 days ago: one that met every 8 days (weekly over its last 60)
    and one every 14 days (fortnightly: judged on the same 60 days it met in, not on a
    shorter window); one paired 40 days ago (too soon to tell); one in the whole window
    that met twice (monthly, not weekly)."""
    mentor = make_mentor(programme)
    a, d, b, c = (make_mentee(programme, mentor=mentor) for _ in range(4))
    for mentee in (a, b, c, d):
        agree(mentee, "weekly", "video")
    for n in range(8):
        log(a, days_ago=2 + n * 8, channel="video")  # 8 in the last 60 days
    for days_ago in (2, 16, 30, 44, 62, 66, 70):
        # 4 in the last 60 days: fortnightly. Counting all 7 since pairing against the
        # 60 days' bar (6) would call it weekly.
        log(d, days_ago=days_ago, channel="video")
    log(b, days_ago=3, channel="video")
    log(c, days_ago=3, channel="video")
    log(c, days_ago=50, channel="video")
    Pairing.objects.filter(mentee__in=[a, d]).update(started_at=noon_days_ago(75))
    Pairing.objects.filter(mentee=b).update(started_at=noon_days_ago(40))
    Pairing.objects.filter(mentee=c).update(started_at=noon_days_ago(200))
    for mentee, days in ((a, 75), (d, 75), (b, 40), (c, 200)):
        CadenceAgreement.objects.filter(pairing__mentee=mentee).update(
            answered_at=noon_days_ago(days)
        )

    asked = answers(programme, cohort(programme), today=timezone.localdate()).asked

    kept = {row.key: row.kept for row in asked.rhythm if row.kept is not None}
    assert kept["weekly"] == 1  # A
    assert kept["fortnightly"] == 1  # D
    assert kept["monthly"] == 1  # C: two in 90 days
    assert kept["new"] == 1  # B
    assert (asked.keeping, asked.could_keep) == (1, 3)
    assert "1 of 3 pairs keep to what they agreed" in asked.summary


def test_a_pair_that_agreed_a_new_rhythm_last_week_is_not_judged_against_it_yet(programme):
    mentor = make_mentor(programme)
    a = make_mentee(programme, mentor=mentor)
    for days_ago in (5, 19, 33, 47):
        log(a, days_ago=days_ago, channel="video")  # fortnightly, as they had agreed
    Pairing.objects.filter(mentee=a).update(started_at=noon_days_ago(200))
    agree(a, "weekly", "video")  # today: weekly from now on

    asked = answers(programme, cohort(programme), today=timezone.localdate()).asked

    assert {row.key: row.kept for row in asked.rhythm}["new"] == 1
    assert asked.could_keep == 0  # not "0 of 1 pairs keep to what they agreed"


def test_in_a_programme_begun_last_week_every_pair_is_too_new_to_judge(programme):
    mentor = make_mentor(programme)
    a = make_mentee(programme, mentor=mentor)
    agree(a, "weekly", "video")
    Pairing.objects.filter(mentee=a).update(started_at=noon_days_ago(200))
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=timezone.localdate() - timedelta(days=7)
    )
    programme.refresh_from_db()

    asked = answers(programme, cohort(programme), today=timezone.localdate()).asked

    assert {row.key: row.kept for row in asked.rhythm}["new"] == 1
    assert asked.could_keep == 0 and "keep to what they agreed" not in asked.summary


# --- Mentoring practice and the three-partner rule ------------------------------------------


def test_self_checks_and_ratings_are_counted_per_guideline_and_per_month(programme):
    mentor = make_mentor(programme)
    a, b, c = (make_mentee(programme, mentor=mentor) for _ in range(3))
    log(a, days_ago=2, checks=("yes", "partly", "no"), rating=5, good_way_to_meet=True)
    log(b, days_ago=2, checks=("yes", "yes"), rating=4, frequency="more")
    log(c, days_ago=2, checks=("no",), rating=3, frequency="right")
    log(a, days_ago=100, checks=("partly",), rating=1)
    log(a, days_ago=400, checks=("yes",), rating=5)  # long ago: not counted

    practice = answers(programme, cohort(programme), today=timezone.localdate()).practice

    rows = [(row["yes"], row["partly"], row["no"]) for row in practice.guidelines]
    assert rows == [(2, 1, 1), (1, 1, 0), (0, 0, 1)]
    months = {m.label: m for m in practice.months}
    assert len(practice.months) == 6
    recent = months[month_of(2)]
    assert (recent.yes, recent.partly, recent.no) == (3, 1, 2)
    assert (recent.answered.ratings, recent.answered.rated_partners) == (3, 3)
    earlier = months[month_of(100)]
    assert earlier.answered.ratings == 1
    assert earlier.answered.average is None  # one person: too few to show
    # Nor is the recent month's average shown, though three people rated: the six months'
    # (13 / 4) less the recent month's (12 / 3) would be the one earlier rating, a's 1.
    assert recent.answered.average is None and recent.answered.withheld
    assert not practice.ratings_by_month_shown
    assert "any month has ratings from fewer than 3 people" in practice.ratings_summary
    everyone = practice.ratings.everyone
    assert (everyone.ratings, everyone.rated_partners) == (4, 3)
    assert everyone.average == pytest.approx(13 / 4)
    assert practice.checks_chart.peak == 6


def test_the_tables_that_need_fewer_groupings_count_the_same(programme):
    """The self-checks and month CSVs ask for fewer groupings (none, or months alone): what
    they get is what the full count gives."""
    mentor = make_mentor(programme)
    a, b, c = (make_mentee(programme, mentor=mentor) for _ in range(3))
    log(a, days_ago=2, checks=("yes", "partly", "no"), rating=5, good_way_to_meet=True)
    log(b, days_ago=40, checks=("yes", "yes"), rating=4, frequency="more")
    log(c, days_ago=70, checks=("no",), rating=3, frequency="right")
    since = timezone.localdate() - timedelta(days=180)
    until = timezone.localdate().replace(day=1)
    whole = feedback(programme, since, until, checks=True)
    checks_only = feedback(programme, since, until, checks=True, by=())
    by_month = feedback(programme, since, until, checks=True, by=("month",))
    assert sorted(checks_only.checks) == sorted(whole.checks) == sorted(by_month.checks)
    assert (checks_only.months, checks_only.mentors) == ({}, [])
    assert by_month.months == whole.months and len(whole.months) == 3
    assert by_month.mentors == [] and whole.mentors
    assert feedback(programme, since, until, by=("mentor",)).mentors == whole.mentors
    assert feedback(programme, since, until, by=("everyone",)).everyone == whole.everyone
    assert whole.everyone["ratings"] == 3


def test_each_months_ratings_show_once_every_month_has_three_people(programme):
    mentor = make_mentor(programme)
    for rating in (5, 4, 3):
        log(make_mentee(programme, mentor=mentor), days_ago=2, rating=rating)
    practice = answers(programme, cohort(programme), today=timezone.localdate()).practice
    recent = {m.label: m for m in practice.months}[month_of(2)]
    assert recent.answered.average == pytest.approx(4.0)
    assert practice.ratings_by_month_shown


@pytest.fixture
def three_mentors(programme):
    """Mo has three partners who answered, Pat two and Quinn one."""
    mo = make_mentor(programme, user=make_user("Mo Many"))
    pat = make_mentor(programme, user=make_user("Pat Pair"))
    quinn = make_mentor(programme, user=make_user("Quinn Single"))
    for rating in (5, 5, 4):
        log(make_mentee(programme, mentor=mo), rating=rating, good_way_to_meet=True)
    for rating in (1, 2):
        log(
            make_mentee(programme, mentor=pat),
            rating=rating,
            good_way_to_meet=False,
            frequency="more",
        )
    log(make_mentee(programme, mentor=quinn), rating=3, frequency="less")
    return mo, pat, quinn


def test_a_mentor_shows_by_name_only_with_three_partners_who_answered(programme, three_mentors):
    found = answers(programme, cohort(programme), today=timezone.localdate())
    ratings = found.practice.ratings
    assert [g.label for g in ratings.mentors] == ["Mo Many"]
    assert ratings.mentors[0].average == pytest.approx(14 / 3)
    assert ratings.others is not None
    assert (ratings.others.mentors, ratings.others.rated_partners) == (2, 3)
    assert ratings.others.average == pytest.approx(2.0)  # Pat's 1 and 2, Quinn's 3
    pulse = found.asked.pulse
    assert [g.label for g in pulse.mentors] == ["Mo Many"]
    assert (pulse.others.good_yes, pulse.others.good_no, pulse.others.less) == (0, 2, 1)
    html = render(programme, found)
    assert "Mo Many" in html
    assert "Pat Pair" not in html and "Quinn Single" not in html


def test_others_too_small_to_hide_anyone_takes_in_the_smallest_named_mentor(programme):
    # Mo (three partners) by name and Pat (two) alone as "Others" would give Pat's partners
    # away: everyone minus Mo. So nobody is shown by name.
    mo = make_mentor(programme, user=make_user("Mo Many"))
    pat = make_mentor(programme, user=make_user("Pat Pair"))
    for _ in range(3):
        log(make_mentee(programme, mentor=mo), rating=5, frequency="right")
    for _ in range(2):
        log(make_mentee(programme, mentor=pat), rating=1, frequency="less")
    found = answers(programme, cohort(programme), today=timezone.localdate())
    assert found.practice.ratings.mentors == []
    assert found.practice.ratings.others is None
    assert found.asked.pulse.mentors == []
    assert found.practice.ratings.everyone.average == pytest.approx(17 / 5)
    html = render(programme, found)
    assert "Mo Many" not in html and "Pat Pair" not in html


def test_ratings_and_pulse_answers_are_the_whole_programmes_whatever_the_filter(
    programme, three_mentors
):
    """Two views a person apart (at risk, and slipping) would otherwise give that person's
    ratings and answers away by subtraction."""
    _mo, pat, _quinn = three_mentors
    today = timezone.localdate()
    whole = answers(programme, cohort(programme), today=today)
    pats = cohort(programme).filter(mentee_pairings__mentor=pat)
    narrowed = answers(programme, pats, today=today)
    assert narrowed.practice.ratings.everyone == whole.practice.ratings.everyone
    assert narrowed.practice.ratings.everyone.ratings == 6
    assert narrowed.asked.pulse.everyone == whole.asked.pulse.everyone
    assert [m.answered for m in narrowed.practice.months] == [
        m.answered for m in whole.practice.months
    ]
    # Pat's two partners stay among Others, as in the whole programme's view.
    assert "Pat Pair" not in [g.label for g in narrowed.practice.ratings.rows]
    for table in ("ratings-by-mentor", "pulse-by-mentor", "mentoring-by-month", "self-checks"):
        make_rows = CSV_TABLES[table][1]
        assert list(make_rows(programme, pats, today)[1]) == list(
            make_rows(programme, cohort(programme), today)[1]
        )


# --- Fixed query counts ----------------------------------------------------------------------


def populate(programme, mentors: int, each: int) -> Membership:
    """`mentors` mentors with `each` partners, every partner with a wish, an agreed rhythm,
    both self-assessments, and a rated, self-checked session."""
    someone = None
    for _ in range(mentors):
        mentor = make_mentor(programme)
        for _ in range(each):
            mentee = make_mentee(programme, mentor=mentor)
            save_preferences(membership=mentee, by=mentee.user, channels=["video"])
            agree(mentee, "fortnightly", "video")
            assess(mentee, BASELINE, 2, 3)
            assess(mentee, FOLLOW_UP, 4, 4)
            log(mentee, checks=("yes", "no"), rating=4, good_way_to_meet=True, frequency="right")
            someone = someone or mentee
    assert someone is not None
    return someone


def count_queries(programme, member) -> dict[str, int]:
    today = timezone.localdate()
    counts = {}
    with CaptureQueriesContext(connection) as ctx:
        found = answers(programme, cohort(programme), today=today, member=member)
        render(programme, found)
    counts["panels"] = len(ctx)
    for key, (_title, rows) in CSV_TABLES.items():
        with CaptureQueriesContext(connection) as ctx:
            header, body = rows(programme, cohort(programme), today)
            list(csv_lines(header, body))
        counts[key] = len(ctx)
    return counts


def test_the_panels_and_their_csvs_take_as_many_queries_for_a_larger_cohort(programme):
    small = populate(programme, mentors=1, each=2)
    at_two = count_queries(programme, small)
    populate(programme, mentors=3, each=3)
    at_eleven = count_queries(programme, small)
    assert at_two == at_eleven
    assert at_two["panels"] == 10  # eight, and two for the one person


# --- CSVs and the page: formula-safe, and never a word of free text -------------------------


def csv_text(programme, key) -> str:
    header, body = CSV_TABLES[key][1](programme, cohort(programme), timezone.localdate())
    return "".join(csv_lines(header, body))


def test_no_csv_or_panel_carries_notes_reflections_or_written_answers(programme):
    mentor = make_mentor(programme)
    for _ in range(3):
        mentee = make_mentee(programme, mentor=mentor)
        assess(mentee, BASELINE, 3, 3)
        log(mentee, checks=("yes", "partly"), rating=4, good_way_to_meet=True, frequency="right")
    # The marker is there to be leaked: in notes, actions, self-check notes, reflections
    # and written answers.
    assert MentoringSession.objects.filter(topics=MARKER, actions__text=MARKER).count() == 3
    assert GuidelineCheck.objects.filter(note=MARKER).count() == 6
    assert Reflection.objects.filter(body=MARKER).count() == 3
    assert AssessmentAnswer.objects.filter(text=MARKER).count() >= 3
    for key in CSV_TABLES:
        assert MARKER not in csv_text(programme, key), key
    found = answers(programme, cohort(programme), today=timezone.localdate(), member=mentee)
    assert MARKER not in render(programme, found)


def test_csv_cells_a_spreadsheet_would_run_are_made_inert(programme):
    mentor = make_mentor(programme, user=make_user("=HYPERLINK(1)"))
    Guideline.objects.filter(programme=programme).update(text="+SUM(A1)")
    AssessmentQuestion.objects.filter(programme=programme).update(topic="@cmd")
    for _ in range(3):
        mentee = make_mentee(programme, mentor=mentor)
        assess(mentee, BASELINE, 3, 3)
        log(mentee, checks=("yes",), rating=4, good_way_to_meet=True)
    assert "'=HYPERLINK(1)" in csv_text(programme, "ratings-by-mentor")
    assert "'=HYPERLINK(1)" in csv_text(programme, "pulse-by-mentor")
    assert "'+SUM(A1)" in csv_text(programme, "self-checks")
    assert "'@cmd" in csv_text(programme, "confidence")
    for key in CSV_TABLES:
        for row in csv.reader(io.StringIO(csv_text(programme, key))):
            assert not any(cell[:1] in ("=", "+", "@") for cell in row), key


def test_every_table_has_a_title_and_a_header(programme):
    for key, (title, rows) in CSV_TABLES.items():
        header, _body = rows(programme, cohort(programme), timezone.localdate())
        assert title and header, key


# --- The partial -----------------------------------------------------------------------------


def render(programme, found, query="phase=1") -> str:
    access = type("Access", (), {"programme": programme})()
    return render_to_string(
        "mentoring/dashboard_answers.html", {"access": access, "answers": found, "query": query}
    )


def test_an_empty_programme_says_what_to_do_next(programme):
    make_mentee(programme, mentor=make_mentor(programme))
    html = render(programme, answers(programme, cohort(programme), today=timezone.localdate()))
    assert "No self-assessments submitted yet — invite partners to the baseline" in html
    assert "No self-checks in the last 6 months" in html
    assert "No ratings in the last 6 months" in html
    assert html.count('<section class="card') == 3


def test_each_table_downloads_with_the_filters_kept_unless_it_counts_everyone(
    programme, three_mentors
):
    for mentee in cohort(programme):
        assess(mentee, BASELINE, 3, 4)
        save_preferences(membership=mentee, by=mentee.user, channels=["chat"])
    log(mentee, checks=("yes",))
    html = render(programme, answers(programme, cohort(programme), today=timezone.localdate()))
    for key in CSV_TABLES:
        query = "" if key in WHOLE_PROGRAMME else "?phase=1"
        assert f'href="/programmes/{programme.slug}/dashboard/{key}.csv{query}"' in html, key


def test_a_large_programme_names_the_mentors_with_most_partners_answering_and_the_csv_all():
    from mentoring.selectors.answers import MENTORS_SHOWN, Answered, ByMentor

    mentors = [Answered(f"Mentor {n:02d}", rated_partners=n % 7 + 3) for n in range(25)]
    everyone = Answered("Everyone", mentors=25)
    found = ByMentor(everyone, mentors, None)
    shown = found.shown
    assert len(shown) == MENTORS_SHOWN == found.named_shown and found.not_shown == 5
    assert [g.label for g in shown] == sorted(g.label for g in shown)  # still by name
    dropped = set(g.label for g in mentors) - {g.label for g in shown}
    assert max(g.rated_partners for g in mentors if g.label in dropped) <= min(
        g.rated_partners for g in shown
    )
    small = ByMentor(everyone, mentors[:3], Answered("Others", mentors=2))
    assert [g.label for g in small.shown] == ["Mentor 00", "Mentor 01", "Mentor 02", "Others"]
    assert small.not_shown == 0


def test_the_cohort_summary_counts_one_person_as_one_and_names_ties():
    from mentoring.selectors.answers import Confidence, Skill
    from programmes.services.assessment import TopicRow

    assert Confidence([], 1, 1, 0, 0, 0).summary == (
        "The 1 person here hasn't submitted a self-assessment yet."
    )
    assert Confidence([], 1, 3, 0, 0, 0).summary == (
        "None of the 3 people here has submitted a self-assessment yet."
    )
    rows = [
        TopicRow(topic, confidence=Skill(baseline=1.0, latest=3.0, change=2.0, both=5))
        for topic in ("LinkedIn", "Video", "Blogging")
    ]
    assert Confidence(rows, 3, 6, 6, 5, 5).summary == (
        "6 of 6 people have submitted a baseline and 5 a follow-up too; the biggest change is "
        "in LinkedIn (confidence) and 2 more: +2.0 points on average."
    )
