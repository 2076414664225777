from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Mentoring administration"
admin.site.site_title = "Mentoring admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("programmes/", include("programmes.urls")),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
