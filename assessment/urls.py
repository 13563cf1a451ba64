from django.urls import path, re_path

from assessment.views import annual, checklists, rectifications, rounds, spot_checks

app_name = "assessment"
urlpatterns = [
    path("scheme/", annual.scheme_view, name="scheme"),
    path("indicators/", annual.indicator_grid, name="indicators"),
    path("indicators/import/", annual.indicator_import, name="indicator_import"),
    path("indicators/export.xlsx", annual.indicator_export, name="indicator_export"),
    path("adjustments/", annual.adjustments, name="adjustments"),
    path("adjustments/<int:pk>/remove/", annual.adjustment_remove, name="adjustment_remove"),
    re_path(
        r"^proposals/(?P<pk>[0-9]+)/(?P<decision>accept|dismiss)/$",
        annual.proposal_decide,
        name="proposal_decide",
    ),
    path("ranking/", annual.ranking, name="ranking"),
    path("ranking/notice.pdf", annual.notice_pdf, name="notice"),
    path("ranking/units/<int:unit_pk>/", annual.breakdown, name="breakdown"),
    path("publish/", annual.publish, name="publish"),
    path("reopen/", annual.reopen, name="reopen"),
    path("checklists/", checklists.checklist_list, name="checklist_list"),
    path("checklists/new/", checklists.checklist_create, name="checklist_create"),
    path("checklists/import/", checklists.checklist_import, name="checklist_import"),
    path(
        "checklists/import/template.xlsx",
        checklists.checklist_import_template,
        name="checklist_import_template",
    ),
    path("checklists/<int:pk>/", checklists.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/copy/", checklists.checklist_copy, name="checklist_copy"),
    path("checklists/<int:pk>/export.xlsx", checklists.checklist_export, name="checklist_export"),
    path("checklists/<int:pk>/sections/new/", checklists.section_edit, name="section_add"),
    path(
        "checklists/<int:pk>/sections/<int:section_pk>/",
        checklists.section_edit,
        name="section_edit",
    ),
    path("checklists/<int:pk>/items/new/", checklists.item_edit, name="item_add"),
    path("checklists/<int:pk>/items/<int:item_pk>/", checklists.item_edit, name="item_edit"),
    path(
        "checklists/<int:pk>/items/<int:item_pk>/delete/",
        checklists.item_delete,
        name="item_delete",
    ),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/draw/", rounds.round_draw, name="round_draw"),
    path("rounds/<int:pk>/notice.pdf", rounds.round_notice_pdf, name="round_notice"),
    path("checks/", spot_checks.SpotCheckListView.as_view(), name="spot_check_list"),
    path("checks/new/", spot_checks.spot_check_create, name="spot_check_create"),
    path("checks/<int:pk>/", spot_checks.spot_check_detail, name="spot_check_detail"),
    path("checks/<int:pk>/score/", spot_checks.spot_check_score, name="spot_check_score"),
    re_path(
        r"^checks/(?P<pk>[0-9]+)/(?P<action>submit|withdraw|confirm|unconfirm)/$",
        spot_checks.spot_check_transition,
        name="spot_check_transition",
    ),
    path("checks/<int:pk>/evidence/", spot_checks.evidence_upload, name="evidence_upload"),
    path(
        "checks/<int:pk>/evidence/<int:evidence_pk>/",
        spot_checks.evidence_download,
        name="evidence_download",
    ),
    path("checks/<int:pk>/feedback.pdf", spot_checks.feedback_pdf, name="feedback"),
    path(
        "checks/<int:pk>/rectifications/new/",
        rectifications.rectification_create,
        name="rectification_create",
    ),
    path("units/<int:unit_pk>/history/", spot_checks.unit_history, name="unit_history"),
    path(
        "rectifications/",
        rectifications.RectificationListView.as_view(),
        name="rectification_list",
    ),
    path(
        "rectifications/<int:pk>/",
        rectifications.rectification_detail,
        name="rectification_detail",
    ),
    path(
        "rectifications/<int:pk>/files/<int:file_pk>/",
        rectifications.rectification_file,
        name="rectification_file",
    ),
]
