# Filled in by the integration work (issue 4).
__all__: list[str] = []
