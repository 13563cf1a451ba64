"""Year-end work that takes long at thousands of units, as background work (core/jobs.py): the
通报 PDF, and computing the year's results and ranking again from scratch."""

from assessment import pdf
from assessment.models import Scheme
from assessment.ranking import grade_labels, ranking_rows
from assessment.year_end import year_results
from core.jobs import advance

NOTICE_IN_BACKGROUND_ABOVE = 1000  # active units: fewer are rendered while the user waits


def _scheme(scheme_id):
    return Scheme.objects.select_related("year").get(pk=scheme_id)


def notice(job, scheme_id):
    from assessment.stats import year_figures

    scheme = _scheme(scheme_id)
    advance(job, 0, 2)
    results = year_results(scheme)
    advance(job, 1, 2)
    return pdf.assessment_notice(results, grade_labels(), year_figures(scheme))


def recompute(job, scheme_id):
    """The year's results and every tab of its ranking, computed and cached (core/derived.py)
    so that the pages that show them answer at once afterwards."""
    scheme = _scheme(scheme_id)
    advance(job, 0, 2)
    results = year_results(scheme)
    tabs = ["overall", *(str(category) for category in results.categories)]
    for index, tab in enumerate(tabs, start=1):
        advance(job, index, len(tabs) + 1)
        ranking_rows(scheme, tab)
