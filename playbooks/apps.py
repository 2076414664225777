from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "playbooks"
    verbose_name = "Playbooks"

    def ready(self) -> None:
        from playbooks import receivers  # noqa: F401  (connects the signal receivers)
        from playbooks.selectors.playbook import playbook_sections_complete
        from programmes.models import ExitCriterion
        from programmes.services.progress import register_criterion_check

        register_criterion_check(ExitCriterion.PLAYBOOK_SECTIONS, playbook_sections_complete)
