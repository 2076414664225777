from .activities import *  # noqa: F403
from .integration import *  # noqa: F403
from .playbooks import *  # noqa: F403
