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

        from playbooks.models import TemplateSection
        from programmes.services.phase import register_section_titles

        def titles(programme_id: int) -> list[str]:
            return list(
                TemplateSection.objects.filter(programme_id=programme_id, archived_at=None)
                .order_by("position", "pk")
                .values_list("title", flat=True)
            )

        register_section_titles(titles)
