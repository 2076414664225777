# Assessment pages: filled in by the assessment work (see programmes/views/assessments.py).
urlpatterns: list = []
