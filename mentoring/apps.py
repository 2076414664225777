from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


def make_local_folders() -> None:
    """The trial mode keeps its database and its broker's messages in files under VAR_DIR.
    Their folders are made when the app starts, never when settings are imported."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        for name in (database["NAME"], database.get("TEST", {}).get("NAME")):
            if name and str(name) != ":memory:" and not str(name).startswith("file:"):
                Path(name).parent.mkdir(parents=True, exist_ok=True)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        make_local_folders()
        from mentoring import receivers  # noqa: F401  (connects the signal receivers)
        from mentoring.selectors.session import sessions_logged_and_actions_done
        from programmes.models import ExitCriterion
        from programmes.services.progress import register_criterion_check

        register_criterion_check(ExitCriterion.SESSIONS_LOGGED, sessions_logged_and_actions_done)
