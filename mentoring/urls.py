"""The project's URLs. Each app's pages sit under its own namespace; the paths themselves
never change, because people hold invitation links, bookmarks and calendar subscriptions."""

from allauth.account.decorators import secure_admin_login
from allauth.socialaccount import views as social_views
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from mentoring.views import (
    account,
    cadence,
    calendar,
    dashboard,
    engagement,
    guideline,
    health,
    home,
    membership,
    notification,
    nudge,
    pairing,
    profile,
    session,
)

admin.site.site_header = "Mentoring administration"
admin.site.site_title = "Mentoring admin"
# Staff sign in where everyone does, with its rate limits and two-factor; the admin's own
# form had neither. Signed-in people who are not staff get 403 there.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# --- The mentoring app: home pages, the account's own pages, and a programme's mentoring ----

account_patterns = [
    path("", home.home, name="home"),
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/data/", account.account_data, name="account_data"),
    path("accounts/data/download/", account.account_data_download, name="account_data_download"),
    path("accounts/delete/", account.account_delete, name="account_delete"),
    path(
        "accounts/two-factor-required/",
        account.two_factor_required,
        name="two_factor_required",
    ),
    path("accounts/calendar/", calendar.calendar_page, name="calendar"),
    path("accounts/calendar/new-address/", calendar.calendar_issue, name="calendar_issue"),
    path("accounts/calendar/turn-off/", calendar.calendar_revoke, name="calendar_revoke"),
    # Public: calendar apps cannot sign in, so the token is the secret (see the view).
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("accounts/notifications/", notification.notification_list, name="notifications"),
    path(
        "accounts/notifications/<int:pk>/",
        notification.notification_open,
        name="notification_open",
    ),
    path(
        "accounts/notifications/read/",
        notification.notification_read_all,
        name="notifications_read",
    ),
    path(
        "accounts/notifications/settings/",
        notification.notification_settings,
        name="notification_settings",
    ),
    path(
        "accounts/notifications/snooze/",
        notification.notification_snooze,
        name="notification_snooze",
    ),
    # Public: a one-click unsubscribe from an email; the signed token is the proof.
    path(
        "notifications/unsubscribe/<str:token>/",
        notification.unsubscribe,
        name="unsubscribe",
    ),
]

programme_patterns = [
    path("<slug:slug>/nudges/", nudge.nudge_overview, name="nudges"),
    path("<slug:slug>/dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("<slug:slug>/dashboard/answers/", dashboard.dashboard_answers, name="dashboard_answers"),
    path("<slug:slug>/dashboard/<slug:table>.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path(
        "<slug:slug>/dashboard/remind/<int:member>/",
        dashboard.dashboard_remind,
        name="dashboard_remind",
    ),
    path(
        "<slug:slug>/dashboard/set-aside/<int:member>/",
        dashboard.dashboard_set_aside,
        name="dashboard_set_aside",
    ),
    path(
        "<slug:slug>/dashboard/bring-back/<int:member>/",
        dashboard.dashboard_bring_back,
        name="dashboard_bring_back",
    ),
    path("<slug:slug>/people/<int:member>/remove/", membership.member_remove, name="member_remove"),
    path("<slug:slug>/pairings/", pairing.pairing_list, name="pairings"),
    path("<slug:slug>/pairings/<int:member>/", pairing.pairing_edit, name="pairing_edit"),
    path("<slug:slug>/pairings/<int:pk>/end/", pairing.pairing_end, name="pairing_end"),
    path("<slug:slug>/mentoring/", engagement.my_mentoring, name="mine"),
    path(
        "<slug:slug>/mentoring/ask-for-another-mentor/",
        pairing.change_request,
        name="change_request",
    ),
    path("<slug:slug>/mentoring/partners/<int:member>/", engagement.partner, name="partner"),
    path(
        "<slug:slug>/mentoring/cadence/<int:pk>/propose/",
        cadence.cadence_propose,
        name="cadence_propose",
    ),
    path(
        "<slug:slug>/mentoring/cadence/<int:pk>/answer/",
        cadence.cadence_answer,
        name="cadence_answer",
    ),
    path(
        "<slug:slug>/mentoring/cadence/<int:pk>/withdraw/",
        cadence.cadence_withdraw,
        name="cadence_withdraw",
    ),
    path("<slug:slug>/mentoring/my-offer/", pairing.mentor_profile, name="mentor_profile"),
    path("<slug:slug>/sessions/", session.session_list, name="sessions"),
    path("<slug:slug>/sessions/new/<int:member>/", session.session_start, name="session_start"),
    path("<slug:slug>/sessions/<int:pk>/", session.session_detail, name="session"),
    path("<slug:slug>/sessions/<int:pk>/calendar.ics", calendar.session_ics, name="session_ics"),
    path("<slug:slug>/sessions/<int:pk>/edit/", session.session_edit, name="session_edit"),
    path(
        "<slug:slug>/sessions/<int:pk>/autosave/",
        session.session_autosave,
        name="session_autosave",
    ),
    path("<slug:slug>/sessions/<int:pk>/discard/", session.session_discard, name="session_discard"),
    path("<slug:slug>/sessions/<int:pk>/reflect/", session.session_reflect, name="session_reflect"),
    path("<slug:slug>/sessions/actions/<int:pk>/", session.action_done, name="action_done"),
    path("<slug:slug>/sessions/figures/", session.session_figures_page, name="session_figures"),
    path(
        "<slug:slug>/sessions/figures.csv",
        session.session_figures_csv,
        name="session_figures_csv",
    ),
    path("<slug:slug>/guidelines/", guideline.guideline_list, name="guidelines"),
    path("<slug:slug>/guidelines/<int:pk>/", guideline.guideline_edit, name="guideline_edit"),
    path(
        "<slug:slug>/guidelines/<int:pk>/remove/",
        guideline.guideline_remove,
        name="guideline_remove",
    ),
]

mentoring_patterns: list[URLPattern | URLResolver] = [
    *account_patterns,
    path("programmes/", include(programme_patterns)),
]

# --- The project ---------------------------------------------------------------------------

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include((mentoring_patterns, "mentoring"))),
    path("programmes/", include("programmes.urls")),
    path("programmes/", include("playbooks.urls")),
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
