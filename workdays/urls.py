from django.urls import path

from workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_index, name="index"),
    path("<int:year>/", views.calendar_year, name="year"),
    path("<int:year>/edit/", views.calendar_edit, name="edit"),
]
