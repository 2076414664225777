"""The built-in programme template: the Social Adoption Programme.

Plain data, so a new programme can be created from it and a test can compare against it.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PhaseBlueprint:
    name: str
    description: str
    exit_criterion: str
    exit_count: int = 1
    expected_weeks: int | None = None
    exit_sections: list[str] = field(default_factory=list)


SOCIAL_ADOPTION_PHASES: list[PhaseBlueprint] = [
    PhaseBlueprint(
        "Research",
        "A baseline self-assessment of your confidence and capability on each skill and "
        "platform, so that everything after it starts from where you really are.",
        "baseline",
        expected_weeks=2,
    ),
    PhaseBlueprint(
        "Workshops",
        "Practical sessions on how to use the platforms. Attendance is recorded.",
        "workshops",
        exit_count=2,
        expected_weeks=4,
    ),
    PhaseBlueprint(
        "Playbook",
        "Drafting your personal thought-leadership strategy in your playbook: purpose, "
        "audiences, themes, platforms and plan.",
        "playbook",
        expected_weeks=6,
    ),
    PhaseBlueprint(
        "1:1 Mentoring",
        "Regular sessions with your mentor at your own pace, doing the activities yourself "
        "and sharing what works and what doesn't. The longest and most intensive phase.",
        "sessions",
        exit_count=4,
        expected_weeks=16,
    ),
    PhaseBlueprint(
        "Integration",
        "Mapping your personal strategy onto the business's own social media strategy, "
        "until it is simply how you work.",
        "signoff",
        expected_weeks=8,
    ),
]

ASSESSMENT_TOPICS: list[str] = [
    "LinkedIn",
    "X (Twitter)",
    "Blogging and long-form articles",
    "Video",
    "Planning content",
    "Engaging with your network",
    "Measuring impact",
]

# (kind, topic, dimension, prompt, help text)
ASSESSMENT_QUESTIONS: list[tuple[str, str, str, str, str]] = [
    *(
        (
            "scale",
            topic,
            dimension,
            f"{topic}: your {dimension}",
            "1 means not at all, 5 means completely."
            if dimension == "confidence"
            else "1 means you have never done it, 5 means you could teach it.",
        )
        for topic in ASSESSMENT_TOPICS
        for dimension in ("confidence", "capability")
    ),
    (
        "text",
        "",
        "",
        "Why do you want a presence on social media? What is your purpose?",
        "A sentence or two is plenty; you will refine it in your playbook.",
    ),
    (
        "text",
        "",
        "",
        "What would you like to have achieved by the end of the programme?",
        "Think of something you could point to: a habit, an audience, an outcome.",
    ),
]
