import pytest

from core.exports import neutralise


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("华阳街道", "华阳街道"),
        (-2, -2),
        (None, None),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(value, expected):
    assert neutralise(value) == expected
