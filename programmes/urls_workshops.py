# Workshop pages, inside one programme (included under "<slug>/" by programmes/urls.py).
from django.urls import path

from programmes.views import workshops as views

urlpatterns = [
    path("workshops/", views.workshops, name="workshops"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/cancel/", views.workshop_delete, name="workshop_delete"),
    path("workshops/<int:pk>/book/", views.workshop_book, name="workshop_book"),
    path("workshops/<int:pk>/unbook/", views.workshop_unbook, name="workshop_unbook"),
    path("workshops/<int:pk>/attendance/", views.workshop_attendance, name="workshop_attendance"),
    path("workshops/<int:pk>/calendar.ics", views.workshop_ics, name="workshop_ics"),
]
