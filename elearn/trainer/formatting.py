"""Numbers for the trainer's statistics screens, in the reader's locale (Babel).

Dutch gets a decimal comma and a (non-breaking) space before the percent sign, as the
Taalunie advises ("58 %"); English gets a decimal point and "58%". A missing value is a dash.
"""

from __future__ import annotations

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale

DASH = "–"
#: percent patterns per language; other languages use their CLDR pattern
PERCENT_PATTERNS = {"nl": "#,##0\u00a0%", "en": "#,##0%"}


def _locale(locale: Locale | str | None) -> Locale:
    if locale is None:
        locale = get_locale() or "nl_BE"
    return Locale.parse(locale) if isinstance(locale, str) else locale


def number(value, digits: int = 1, locale: Locale | str | None = None) -> str:
    """``value`` with exactly ``digits`` decimals (1,4 / 1.4), or a dash for None."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round(value, digits) + 0.0, format=pattern, locale=_locale(locale))


def signed(value, digits: int = 1, locale: Locale | str | None = None) -> str:
    """A difference with its sign (+1,4 / -0,3 / 0,0), or a dash for None."""
    if value is None:
        return DASH
    text = number(value, digits, locale)
    return "+" + text if round(value, digits) > 0 else text.replace("-", "−")


def percent(value, locale: Locale | str | None = None) -> str:
    """A value between 0 and 100 as a whole percentage ("58 %" in Dutch), or a dash for None."""
    if value is None:
        return DASH
    loc = _locale(locale)
    pattern = PERCENT_PATTERNS.get(loc.language)
    if pattern is None:
        return format_percent(value / 100, locale=loc)
    return pattern.replace("#,##0", format_decimal(round(value), format="#,##0", locale=loc))


def datetime_utc(value, locale: Locale | str | None = None) -> str:
    """A stored (naive, UTC) moment as date and time in the reader's locale, or a dash."""
    if value is None:
        return DASH
    return format_datetime(value, "medium", locale=_locale(locale))
