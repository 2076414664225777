"""What the lead's dashboard counts of what people answered, added up per month as the
answers are written (`mentoring.services.tally`): a cold dashboard sums a few thousand of
these rows instead of joining six months of sessions to their feedback and self-checks
(two thirds of a cold answers panel's time at 2,000 mentees).

Months are calendar months in the site's time zone (`TIME_ZONE`), as the dashboard shows
them. No free text is kept: counts only.
"""

from __future__ import annotations

from django.db import models


class FeedbackMonth(models.Model):
    """A mentee's answers about their logged sessions with one mentor held in one month:
    how many ratings and of what, and their answers to "a good way to meet?" and "how
    often?". Rewritten whole for the mentee whenever one of their sessions is logged or
    edited, or they answer."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey("programmes.Membership", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Membership", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    ratings = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    r1 = models.PositiveIntegerField(default=0)
    r2 = models.PositiveIntegerField(default=0)
    r3 = models.PositiveIntegerField(default=0)
    r4 = models.PositiveIntegerField(default=0)
    r5 = models.PositiveIntegerField(default=0)
    pulses = models.PositiveIntegerField(default=0)  # sessions with either short answer
    good_yes = models.PositiveIntegerField(default=0)
    good_no = models.PositiveIntegerField(default=0)
    more = models.PositiveIntegerField(default=0)
    right = models.PositiveIntegerField(default=0)
    less = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor", "month"], name="one_feedback_month")
        ]
        indexes = [models.Index(fields=["programme", "month"], name="feedback_month_programme")]

    def __str__(self) -> str:
        return f"Feedback of {self.mentee_id} with {self.mentor_id}, {self.month:%b %Y}"


class SelfCheckMonth(models.Model):
    """How many times a mentor answered one guideline's self-check one way in their logged
    sessions with one mentee in one month. Kept per mentee, as the feedback is, so that
    both halves of the dashboard's mentoring practice count the same people (a mentee who
    has left drops out of both). Rewritten whole for the mentee whenever one of their
    sessions is logged or edited."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey("programmes.Membership", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Membership", on_delete=models.CASCADE, related_name="+")
    guideline = models.ForeignKey("mentoring.Guideline", on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=6)
    month = models.DateField()  # its first day
    checks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor", "guideline", "answer", "month"],
                name="one_self_check_month",
            )
        ]
        indexes = [models.Index(fields=["programme", "month"], name="self_check_month_programme")]

    def __str__(self) -> str:
        return f"{self.checks} {self.answer} on {self.guideline_id}, {self.month:%b %Y}"
