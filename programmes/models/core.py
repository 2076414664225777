from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes a person belongs to, in any role. Everyone else sees nothing."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, is_active=True).values("programme_id")
        )


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    mentee_label = models.CharField(
        max_length=40,
        default="partner",
        help_text="The word this programme uses for a mentee.",
    )
    follow_up_after = models.ForeignKey(
        "Phase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The follow-up assessment opens when a mentee completes this phase; "
        "empty means when they finish the programme.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"slug": self.slug})


class ExitCriterion(models.TextChoices):
    MANUAL = "manual", "Moved on by hand (a lead or the mentor)"
    BASELINE_SUBMITTED = "baseline", "Baseline assessment submitted"
    WORKSHOPS_ATTENDED = "workshops", "Workshops attended"
    PLAYBOOK_SECTIONS = "playbook", "Playbook sections complete"
    SESSIONS_LOGGED = "sessions", "Mentoring sessions logged, their agreed actions done"
    LEAD_SIGN_OFF = "signoff", "Signed off by a lead"


class PhaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> PhaseQuerySet:
        """A programme's phases are read by its members and edited by its leads."""
        return self.filter(programme__in=Programme.objects.visible_to(user))


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    starts_on = models.DateField("planned start", null=True, blank=True)
    ends_on = models.DateField("planned end", null=True, blank=True)
    exit_criterion = models.CharField(
        max_length=12, choices=ExitCriterion, default=ExitCriterion.MANUAL
    )
    exit_count = models.PositiveSmallIntegerField(
        default=1, help_text="How many workshops or sessions, where the criterion counts."
    )
    exit_sections = models.JSONField(
        default=list,
        blank=True,
        help_text="Playbook section titles that must be complete; empty means all of them.",
    )

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position"]
        indexes = [models.Index(fields=["programme", "position"], name="phase_programme_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(exit_count__gte=1), name="phase_exit_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def exit_summary(self) -> str:
        """What completes this phase, in words to the mentee."""
        return self._exit_text(you=True)

    @property
    def exit_summary_them(self) -> str:
        """The same, for their mentor or lead."""
        return self._exit_text(you=False)

    def _exit_text(self, *, you: bool) -> str:
        n = self.exit_count
        your = "your" if you else "the"
        match self.exit_criterion:
            case ExitCriterion.BASELINE_SUBMITTED:
                return f"Submit {your} baseline self-assessment."
            case ExitCriterion.WORKSHOPS_ATTENDED:
                return f"Attend {n} workshop{'s' if n != 1 else ''}."
            case ExitCriterion.PLAYBOOK_SECTIONS:
                if self.exit_sections:
                    return (
                        "Complete these playbook sections: " + ", ".join(self.exit_sections) + "."
                    )
                return f"Complete every section of {your} playbook."
            case ExitCriterion.SESSIONS_LOGGED:
                agreed = "you agreed" if you else "agreed"
                return (
                    f"Hold {n} mentoring session{'s' if n != 1 else ''} "
                    f"and do the actions {agreed} in them."
                )
            case ExitCriterion.LEAD_SIGN_OFF:
                return (
                    "Your programme lead signs you off."
                    if you
                    else "A programme lead signs them off."
                )
            case _:
                return (
                    "Your mentor or programme lead moves you on when you are ready."
                    if you
                    else "Their mentor or a programme lead moves them on when ready."
                )


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user) -> MembershipQuerySet:
        """Who a person may see in a programme: themselves; a lead, everyone in the
        programmes they lead; a mentor, the mentees they are paired with now."""
        if not user.is_authenticated:
            return self.none()
        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(user=user)
            | Q(programme_id__in=led.values("programme_id"))
            | Q(
                mentee_pairings__mentor__user=user,
                mentee_pairings__mentor__is_active=True,
                mentee_pairings__ended_at__isnull=True,
            )
        ).distinct()


class Membership(models.Model):
    """A person's role in one programme; for a mentee, also where they are in its phases."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    current_phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phase_started_at = models.DateTimeField(null=True, blank=True)
    operationalised_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="one_membership_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role="mentee") | Q(current_phase__isnull=True),
                name="only_mentees_have_a_phase",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "is_active"], name="membership_user"),
            models.Index(fields=["programme", "role", "current_phase"], name="membership_funnel"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.programme})"

    def get_absolute_url(self) -> str:
        if self.role != Role.MENTEE:
            return self.programme.get_absolute_url()
        return reverse(
            "programmes:member_journey", kwargs={"slug": self.programme.slug, "member": self.pk}
        )

    @property
    def days_in_phase(self) -> int | None:
        if self.phase_started_at is None:
            return None
        return (timezone.now() - self.phase_started_at).days

    @property
    def role_label(self) -> str:
        if self.role == Role.MENTEE:
            return self.programme.mentee_label.capitalize()
        return self.get_role_display()


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class PhaseProgressQuerySet(models.QuerySet):
    def visible_to(self, user) -> PhaseProgressQuerySet:
        """A mentee's progress is seen by them, their mentor and their programme's leads."""
        return self.filter(membership__in=Membership.objects.visible_to(user))


class PhaseProgress(models.Model):
    """Where one mentee stands in one phase. One row per mentee and phase."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="progress")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=PhaseStatus, default=PhaseStatus.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = PhaseProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "phase"], name="one_progress_per_phase")
        ]
        indexes = [models.Index(fields=["phase", "status"], name="progress_phase_status")]

    def __str__(self) -> str:
        return f"{self.membership.user} · {self.phase}: {self.get_status_display()}"


class PhaseTransitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> PhaseTransitionQuerySet:
        """A mentee's moves are seen by whoever may see the mentee's phase progress."""
        return self.filter(membership__in=Membership.objects.visible_to(user))


class PhaseTransition(models.Model):
    """One move of a mentee between phases: who moved them, when, from, to and why.

    `to_phase` is empty when the move took the mentee past the last phase, into
    business as usual (operationalised).
    """

    class Kind(models.TextChoices):
        JOINED = "joined", "Joined"
        ADVANCED = "advanced", "Moved on"
        AUTOMATIC = "automatic", "Moved on automatically"
        MOVED_BACK = "moved_back", "Moved back"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ADVANCED)
    # Names are kept as they were, so the history still reads right after a phase is renamed
    # or removed.
    from_phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_name = models.CharField(max_length=120, blank=True)
    to_phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_name = models.CharField(max_length=120, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = PhaseTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["membership", "at"]
        indexes = [models.Index(fields=["membership", "at"], name="transition_membership_at")]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.from_name or 'start'} → {self.to_name}"
