"""The ranking as rows for pages and exports: ranks, components, grades, change on last year."""

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from django.utils.formats import get_format, localize
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment.models import Scheme
from assessment.scoring import EXCELLENT, FAIL, GOOD, PASS
from assessment.year_end import (
    SELF_ASSESSMENT,
    SPOT_CHECKS,
    TRAINING,
    cached_for_year,
    indicator_key,
    year_results,
)
from core.charts import bar_chart
from core.decimals import round_score
from core.derived import TOPICS

GRADE_ORDER = {EXCELLENT: 4, GOOD: 3, PASS: 2, FAIL: 1}  # for sorting; no grade: 0
TIE_SPAN = 10**6  # more than there are rows: a sort key is value × TIE_SPAN − position


def grade_labels():
    return {EXCELLENT: _("Excellent"), GOOD: _("Good"), PASS: _("Pass"), FAIL: _("Fail")}


def rank_changes(scheme, results, attribute="category_rank"):
    """Change of each unit's rank (`attribute`: "category_rank" or "overall_rank") against
    last year's assessment: +2 up, −1 down, "new" when last year did not rank it."""
    last = Scheme.objects.select_related("year").filter(year__year=scheme.year.year - 1).first()
    if last is None:
        return {}
    previous = last_ranks(last, attribute)
    changes = {}
    for unit_id, result in results.items():
        before, now = previous.get(unit_id), getattr(result, attribute)
        if now is None:
            continue
        changes[unit_id] = "new" if before is None else before - now
    return changes


def last_ranks(scheme, attribute):
    """{unit id: rank} of the units `scheme` ranked, cached on their own: a few thousand
    integers are much quicker to read from the cache than the year's whole results, and last
    year's ranks are read whenever this year's ranking changes."""
    return cached_for_year(
        scheme,
        f"ranks:{attribute}",
        lambda: {
            unit_id: getattr(result, attribute)
            for unit_id, result in year_results(scheme).results.items()
            if getattr(result, attribute) is not None
        },
    )


def hundredths(score: Decimal | None) -> int | None:
    """A 2-place score as a whole number of hundredths (91.50 → 9150), or None."""
    return None if score is None else int(score * 100)


def score(value: int | None) -> Decimal | None:
    """The score a number of hundredths stands for (9150 → Decimal("91.50")), or None."""
    return None if value is None else Decimal(value).scaleb(-2)


def display_score(value: int) -> str:
    """Hundredths as the page shows the score ("91.50"), what `localize` prints for the
    Decimal without building it (a ranking page shows 400 of them)."""
    if value < 0:
        return localize(score(value))
    whole, part = divmod(value, 100)
    return f"{whole}{get_format('DECIMAL_SEPARATOR')}{part:02d}"


SCORES = ("spot_checks", "training", "self_assessment", "bonus", "deduction", "final")


def ranking_rows(scheme, tab="overall"):
    """The rows of one tab ("overall", or a category's pk as text); see `ranking_tab`."""
    return ranking_tab(scheme, tab)["rows"]


def ranking_tab(scheme, tab="overall"):
    """What the ranking page shows of one tab: its rows, the category's outcome (the quota,
    and whether a tie exceeded it; None on the overall tab) and the categories ranked this
    year. A tab that names no category ranked this year is the overall tab
    (`tab` in the result says which was shown). Categories are named as the results name
    them (a published year: as when it was published).

    Cached under the generations of every input (the rows include last year's ranks), once
    per tab and language, and shared by every page that shows them (each gets its own copy).
    Scores in the rows are kept in hundredths (ints, see `hundredths`): a page reads 2,000 rows
    back from the cache to sort and paginate them, and unpickling their Decimals took 4× as
    long as the ints (30 ms at 2,000 units). Ints sort as the scores do; the table shows and
    exports them as Decimals again. For the same reason the rows are kept as one tuple each
    under the column names, and read as `RankingRow`s."""

    def compute():
        year = year_results(scheme)
        shown = tab if tab != "overall" and int(tab) in year.categories else "overall"
        outcome = None if shown == "overall" else year.categories[int(shown)]
        rows = _rows(year, shown)
        columns = tuple(rows[0]) if rows else ()
        return {
            "tab": shown,
            "columns": {name: index for index, name in enumerate(columns)},
            "values": [tuple(row.values()) for row in rows],
            "outcome": None if outcome is None else replace(outcome, results=[]),
            "categories": sorted(
                {year.units[result.unit_id].category for result in year.results.values()},
                key=lambda category: (category.sort_order, category.name),
            ),
        }

    shown = cached_for_year(scheme, f"ranking-tab:{tab}:{get_language()}", compute, TOPICS)
    columns = shown.pop("columns")
    shown["rows"] = [RankingRow(columns, values) for values in shown.pop("values")]
    return shown


class RankingRow(Mapping):
    """One row of a ranking tab, read as the dict it was built as (`_rows`). A tab is cached
    as the column names once and one tuple per row: at 2,000 units, unpickling the rows as
    dicts took 14 ms of every ranking page, as tuples 2 ms."""

    __slots__ = ("_columns", "_values")

    def __init__(self, columns: dict[str, int], values: tuple):
        self._columns = columns
        self._values = values

    def __getitem__(self, key):
        return self._values[self._columns[key]]

    def __iter__(self):
        return iter(self._columns)

    def __len__(self):
        return len(self._columns)


def _rows(year, tab):
    changes = rank_changes(
        year.scheme, year.results, "overall_rank" if tab == "overall" else "category_rank"
    )
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
            "grade_order": GRADE_ORDER.get(result.grade, 0),
            "vetoed": result.vetoed,
            # indicator values not entered: left out of the score (or counted as 0, as the
            # scheme says), which the page says beside the unit (trial 8: a new unit with
            # training alone ranked first with 100.00)
            "lacking": sum(
                result.components.get(indicator_key(indicator)) is None
                for indicator in year.indicators
            ),
            "change": changes.get(result.unit_id),
            # DESIGN.md's display order (ties: spot checks, training, then the unit's order),
            # which sorting by rank, final or grade keeps among equals
            "position": len(rows),
        }
        for indicator in year.indicators:
            row[indicator_key(indicator)] = result.components.get(indicator_key(indicator))
        for key in (*SCORES, *(indicator_key(indicator) for indicator in year.indicators)):
            row[key] = hundredths(row[key])
        # sort keys of the final and grade columns: a vetoed unit below every score (whatever
        # its computed final), an unassessed one below that; equals in display order when
        # sorted from the top down (one key: django-tables2 reverses every key it is given
        # for a descending sort, so a second key breaking the ties would turn them round)
        final_order = -2 if row["final"] is None else -1 if result.vetoed else row["final"]
        row["final_order"] = final_order * TIE_SPAN - row["position"]
        row["grade_order"] = row["grade_order"] * TIE_SPAN - row["position"]
        rows.append(row)
    return rows


def ranking_chart(rows):
    """Final scores of the given rows; a vetoed unit has no bar, only 一票否决 in red."""
    ranked = [row for row in rows if row["final"] is not None]
    return bar_chart(
        [
            (row["unit"], 0, True, _("Veto"))
            if row["vetoed"]
            else (row["unit"], score(row["final"]), False)
            for row in ranked
        ],
        scale=100,
    )
