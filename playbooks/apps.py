import importlib

from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "playbooks"
    verbose_name = "Playbooks"

    def ready(self) -> None:
        from playbooks import receivers  # noqa: F401  (connects the signal receivers)
        from playbooks.services.playbooks import playbook_sections_complete
        from programmes.models import ExitCriterion
        from programmes.services.progress import register_criterion_check

        register_criterion_check(ExitCriterion.PLAYBOOK_SECTIONS, playbook_sections_complete)
        # The activity checklist's receivers, once that part of the app has any.
        try:
            importlib.import_module("playbooks.activity_receivers")
        except ModuleNotFoundError as error:
            if error.name != "playbooks.activity_receivers":
                raise
