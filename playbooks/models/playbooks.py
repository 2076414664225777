# Filled in by the playbooks work (issue 4).
__all__: list[str] = []
