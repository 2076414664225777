# Workshop pages: filled in by the workshops work (see programmes/views/workshops.py).
urlpatterns: list = []
