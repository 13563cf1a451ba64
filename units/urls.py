from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="list"),
    path("new/", views.UnitCreateView.as_view(), name="create"),
    path("import/", views.unit_import, name="import"),
    path("import/preview/", views.unit_import_preview, name="import_preview"),
    path("import/confirm/", views.unit_import_confirm, name="import_confirm"),
    path("import/template.csv", views.unit_import_template, name="import_template"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="update"),
]
