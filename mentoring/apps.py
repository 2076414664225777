from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        from mentoring import receivers  # noqa: F401  (connects the signal receivers)
        from mentoring.selectors.session import sessions_logged_and_actions_done
        from programmes.models import ExitCriterion
        from programmes.services.progress import register_criterion_check

        register_criterion_check(ExitCriterion.SESSIONS_LOGGED, sessions_logged_and_actions_done)
