from playbooks.models.activities import *  # noqa: F403
from playbooks.models.integration import *  # noqa: F403
from playbooks.models.playbooks import *  # noqa: F403
