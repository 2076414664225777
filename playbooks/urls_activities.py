# Filled in by the issue 4 work.
urlpatterns: list = []
