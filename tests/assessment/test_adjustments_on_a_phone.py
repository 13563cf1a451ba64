"""On a 390 px phone the adjustments page broke 一票否决 and its buttons one character a line:
the kind cells and the buttons are kept on one line (Bootstrap's text-nowrap)."""

import re
from datetime import timedelta
from decimal import Decimal as D

from django.urls import reverse
from django.utils import timezone

from assessment.models import Adjustment, Rectification, SpotCheck
from assessment.services.year_end import add_adjustment
from tests.assessment.test_year_end_pages import scheme  # noqa: F401


def test_kinds_and_buttons_do_not_wrap(client_for, scheme, personas, unit_a, checklist):  # noqa: F811
    add_adjustment(
        scheme,
        unit=unit_a,
        kind=Adjustment.Kind.VETO,
        points=None,
        reason="发生泄密事件",
        actor=personas["leader"],
    )
    check = SpotCheck.objects.create(
        unit=unit_a,
        checklist=checklist,
        date=timezone.localdate() - timedelta(days=60),
        status=SpotCheck.Status.CONFIRMED,
        percentage=D("80"),
        confirmed_at=timezone.now(),
    )
    Rectification.objects.create(
        spot_check=check,
        requirement="补齐记录",
        working_days=5,
        raised_on=timezone.localdate() - timedelta(days=10),
        deadline=timezone.localdate() - timedelta(days=3),
        created_by=personas["inspector"],
    )
    content = client_for("leader").get(reverse("assessment:adjustments")).content.decode()
    assert '<td class="text-nowrap" data-testid="kind">一票否决</td>' in content
    buttons = re.findall(r'<button class="([^"]*)"[^>]*>(删除|扣分|不扣分)</button>', content)
    assert sorted(label for _classes, label in buttons) == ["不扣分", "删除", "扣分"]
    assert all("text-nowrap" in classes.split() for classes, _label in buttons)
