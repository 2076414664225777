from allauth.socialaccount import views as social_views
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from . import views
from .views import calendar

admin.site.site_header = "Mentoring administration"
admin.site.site_title = "Mentoring admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("programmes/", include("programmes.urls")),
    path("programmes/", include("playbooks.urls")),
    path("programmes/", include("mentoring.programme_urls")),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/calendar/", calendar.calendar_page, name="calendar"),
    path("accounts/calendar/new-address/", calendar.calendar_issue, name="calendar_issue"),
    path("accounts/calendar/turn-off/", calendar.calendar_revoke, name="calendar_revoke"),
    # Public: calendar apps cannot sign in, so the token is the secret (see the view).
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    # A failed or cancelled social sign-in happens before there is anyone signed in.
    path(
        "accounts/3rdparty/login/cancelled/",
        login_not_required(social_views.login_cancelled),
        name="socialaccount_login_cancelled",
    ),
    path(
        "accounts/3rdparty/login/error/",
        login_not_required(social_views.login_error),
        name="socialaccount_login_error",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
