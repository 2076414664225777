# Filled in by the activities work (issue 4).
__all__: list[str] = []
