from django.urls import path

from training import checkin_views, views

app_name = "training"
urlpatterns = [
    path("", views.TrainingListView.as_view(), name="list"),
    path("new/", views.TrainingCreateView.as_view(), name="create"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("<int:pk>/", views.TrainingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.TrainingUpdateView.as_view(), name="update"),
    path("<int:pk>/attendees/new/", views.attendee_add, name="attendee_add"),
    path(
        "<int:pk>/attendees/<int:attendee_pk>/edit/",
        views.attendee_edit,
        name="attendee_edit",
    ),
    path(
        "<int:pk>/attendees/<int:attendee_pk>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path(
        "<int:pk>/attendees/<int:attendee_pk>/certificate.pdf",
        views.certificate_pdf,
        name="certificate",
    ),
    path("<int:pk>/import/", views.attendee_import, name="attendee_import"),
    path("<int:pk>/import/preview/", views.attendee_import_preview, name="attendee_import_preview"),
    path("<int:pk>/import/confirm/", views.attendee_import_confirm, name="attendee_import_confirm"),
    path(
        "<int:pk>/import/template.xlsx",
        views.attendee_import_template,
        name="attendee_import_template",
    ),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/live/", checkin_views.attendance_live, name="attendance_live"),
    path("<int:pk>/check-in/", checkin_views.checkin_screen, name="checkin_screen"),
    path("<int:pk>/check-in/code/", checkin_views.checkin_code, name="checkin_code"),
    path("<int:pk>/check-in/poster.pdf", checkin_views.checkin_poster, name="checkin_poster"),
    # the public page a scanned code opens: no login, the code says which training and day
    path("check-in/<str:token>/", checkin_views.check_in, name="checkin"),
    path("check-in/<str:token>/walk-in/", checkin_views.walk_in, name="walk_in"),
    path(
        "<int:pk>/walk-ins/<int:walk_in_pk>/decide/",
        checkin_views.walk_in_decide,
        name="walk_in_decide",
    ),
    path("<int:pk>/sign-in.pdf", views.sign_in_sheet_pdf, name="sign_in_sheet"),
    path("<int:pk>/summary.pdf", views.attendance_summary_pdf, name="attendance_summary"),
    path("<int:pk>/certificates.pdf", views.certificates_pdf, name="certificates"),
]
