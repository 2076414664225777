"""The built-in programme template: the Social Adoption Programme's five phases.

Plain data, so a new programme can be created from it and a test can compare against it.
"""

SOCIAL_ADOPTION_PHASES: list[tuple[str, str]] = [
    (
        "Research",
        "A baseline self-assessment of your confidence and capability on each skill and "
        "platform, so that everything after it starts from where you really are.",
    ),
    (
        "Workshops",
        "Practical sessions on how to use the platforms. Attendance is recorded.",
    ),
    (
        "Playbook",
        "Drafting your personal thought-leadership strategy in your playbook: purpose, "
        "audiences, themes, platforms and plan.",
    ),
    (
        "1:1 Mentoring",
        "Regular sessions with your mentor at your own pace, doing the activities yourself "
        "and sharing what works and what doesn't. The longest and most intensive phase.",
    ),
    (
        "Integration",
        "Mapping your personal strategy onto the business's own social media strategy, "
        "until it is simply how you work.",
    ),
]
