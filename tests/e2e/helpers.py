"""What the browser journeys share: the menu, the accessibility audit and the screenshots."""

import json
from pathlib import Path

from playwright.sync_api import expect

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screens"  # git-ignored
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def go_to(page, group, entry):
    """Open a top-menu dropdown and follow one of its entries (on a phone, open the menu)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_test_id("main-nav").get_by_role("button", name=group, exact=True).click()
    page.get_by_test_id("main-nav").get_by_role("link", name=entry, exact=True).click()


def serious_violations(page):
    """axe-core's serious and critical WCAG 2 A/AA violations on the page as shown."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not an inline script
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page):
    violations = serious_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def screenshot_at_both_sizes(page, name):
    """Save the page at 1366×768 and at a 390×844 phone; the page must not scroll sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name} is {width} px wide at {label}"
    page.set_viewport_size(DESKTOP)


def assert_menu_on_one_line(page):
    """At 1366 px the whole bar (brand, menus, year, language, user) stays one line high."""
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_test_id("main-nav")).to_be_visible()
    height = page.locator(".navbar").evaluate("bar => bar.getBoundingClientRect().height")
    assert height < 64, f"the navigation bar wraps: {height} px high"
