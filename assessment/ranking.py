"""The ranking as rows for pages and exports: ranks, components, grades, change on last year."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment.models import Scheme
from assessment.scoring import EXCELLENT, FAIL, GOOD, PASS
from assessment.year_end import SELF_ASSESSMENT, SPOT_CHECKS, TRAINING, indicator_key, year_results
from core.charts import bar_chart
from core.decimals import round_score
from core.derived import PUBLISHED, TOPICS, cached


def grade_labels():
    return {EXCELLENT: _("Excellent"), GOOD: _("Good"), PASS: _("Pass"), FAIL: _("Fail")}


def rank_changes(scheme, results):
    """Category rank change against last year's assessment: (+2 up, −1 down, None new)."""
    last = Scheme.objects.select_related("year").filter(year__year=scheme.year.year - 1).first()
    if last is None:
        return {}
    previous = category_ranks(last)
    changes = {}
    for unit_id, result in results.items():
        before = previous.get(unit_id)
        if result.category_rank is None:
            continue
        if before is None:
            changes[unit_id] = "new"
        else:
            changes[unit_id] = before - result.category_rank
    return changes


def category_ranks(scheme):
    """{unit id: category rank} of the units `scheme` ranked, cached on their own: a few
    thousand integers are much quicker to read from the cache than the year's whole results,
    and last year's ranks are read whenever this year's ranking changes."""

    def compute():
        return {
            unit_id: result.category_rank
            for unit_id, result in year_results(scheme).results.items()
            if result.category_rank is not None
        }

    if not scheme.is_published:
        return compute()  # a draft's results are cached under the trainings held so far
    return cached(f"category-ranks:{scheme.pk}:published", compute, [PUBLISHED])


def ranking_rows(year, tab="overall"):
    """The rows of one tab ("overall", or a category's pk as text), cached under the
    generations of every input (they include last year's ranks) and shared by every page that
    shows them (each gets its own copy)."""
    key = f"ranking-rows:{year.key}:{tab}:{get_language()}"
    return cached(key, lambda: _rows(year, tab), TOPICS)


def _rows(year, tab):
    changes = rank_changes(year.scheme, year.results)
    grades = grade_labels()
    selected = year.overall if tab == "overall" else year.categories[int(tab)].results
    rows = []
    for result in selected:
        unit = year.units[result.unit_id]
        row = {
            "rank": result.overall_rank if tab == "overall" else result.category_rank,
            "unit": unit.name,
            "unit_id": unit.pk,
            "category": unit.category.name,
            "spot_checks": result.components.get(SPOT_CHECKS),
            "training": result.components.get(TRAINING),
            "self_assessment": result.components.get(SELF_ASSESSMENT),
            "bonus": round_score(result.bonus),
            "deduction": round_score(result.deduction),
            "final": result.final,
            "grade": grades.get(result.grade, "") if result.grade else "",
            "vetoed": result.vetoed,
            "change": changes.get(result.unit_id),
            "sort_key": result.sort_order,
        }
        for indicator in year.indicators:
            row[indicator_key(indicator)] = result.components.get(indicator_key(indicator))
        rows.append(row)
    return rows


def ranking_chart(rows):
    """Final scores of the given rows; a vetoed unit has no bar, only 一票否决 in red."""
    ranked = [row for row in rows if row["final"] is not None]
    return bar_chart(
        [
            (row["unit"], 0, True, _("Veto"))
            if row["vetoed"]
            else (row["unit"], row["final"], False)
            for row in ranked
        ],
        scale=100,
    )
