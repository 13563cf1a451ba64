from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config.history import history
from config.views import home
from core.views import favicon, job, job_download, job_status, set_year
from units.forms import ChangePasswordForm, LoginForm

urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("favicon.ico", favicon, name="favicon"),
    path("history/<slug:kind>/<int:pk>/", history, name="history"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("year/", set_year, name="set_year"),
    path("jobs/<uuid:pk>/", job, name="job"),
    path("jobs/<uuid:pk>/status/", job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", job_download, name="job_download"),
    path("units/", include("units.urls")),
    path("training/", include("training.urls")),
    path("assessment/", include("assessment.urls")),
    path("calendar/", include("workdays.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
