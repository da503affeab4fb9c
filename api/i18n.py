"""Error messages in the caller's language: one catalogue for pages and API answers.

The API answers in English unless the client states a language: ``?lang=``, the ``lang`` cookie the
pages set, or an ``Accept-Language`` header (browsers always send one; web/static/dom.js sends the
page's own language). Then ``message`` and each message in ``fields`` come from the catalogue
(translations/), chosen by the same rule as the pages (web.select_locale). The ``code`` never changes:
clients decide by it. A message the catalogue does not hold (a library's, an f-string's) becomes the
catalogue's general message for its code, so a Chinese page never shows English.
"""
from __future__ import annotations

import re
from typing import Any

from flask import has_request_context, request
from flask_babel import force_locale, gettext, pgettext

from domain.errors import N_

# The general message per code, for anything the catalogue does not know word for word.
GENERAL = {
    "invalid_request": N_("The request could not be understood."),
    "unauthorized": N_("Please log in again."),
    "forbidden": N_("You may not do this."),
    "not_found": N_("It no longer exists; please refresh."),
    "conflict": N_("This clashes with a change made just now; please refresh and try again."),
    "sold_out": N_("Sold out."),
    "invalid_state": N_("This cannot be done now; please refresh and try again."),
    "too_large": N_("This is too large."),
    "validation_error": N_("Some fields are not right."),
    "rate_limited": N_("Too many attempts; please wait a moment."),
    "upstream_error": N_("The payment service is not answering; please try again."),
    "overloaded": N_("The restaurant is very busy right now; please try again in a moment."),
    "unavailable": N_("The service is busy; please try again."),
    "server_error": N_("Something went wrong on our side."),
}
FIELD_GENERAL = N_("This value is not valid.")
# Field messages our own code gives often.
FIELD_WORDS = (N_("already used"), N_("sold out"), N_("not available at this hour"), N_("not available now"),
               N_("not on this store's menu"), N_("duplicate option"))

# marshmallow's own messages (its defaults, with their placeholders), so "Length must be between 1
# and 50." reads "长度须在 1 到 50 之间。" on a Chinese page.
LIBRARY = (
    N_("Missing data for required field."), N_("Field may not be null."), N_("Unknown field."),
    N_("Invalid input type."), N_("Invalid value."), N_("Not a valid string."), N_("Not a valid integer."),
    N_("Not a valid number."), N_("Not a valid boolean."), N_("Not a valid datetime."), N_("Not a valid date."),
    N_("Not a valid time."), N_("Not a valid list."), N_("Not a valid mapping type."), N_("Not a valid email address."),
    N_("Not a valid URL."), N_("String does not match expected pattern."), N_("Invalid data."),
    N_("Shorter than minimum length {min}."), N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."), N_("Length must be {equal}."),
    N_("Must be greater than or equal to {min}."), N_("Must be less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be one of: {choices}."), N_("Not a valid choice."), N_("Invalid enum member {input}"),
    N_("Must be one of: {choices}"),
)

# Field messages of our own that carry a value (money as ¥12.50), matched like the library's.
FIELD_TEMPLATES = (N_("at most {amount}"), N_("min spend {amount}"), N_("at least {n} characters"),
                   N_("the image is smaller than {width}×{height} pixels"), N_("1 to {amount}"),
                   N_("these lines cost {amount}"), N_("at most {n} lines"), N_("0 to {n}"),
                   N_("not stations of this store: {codes}"), N_("{n} more portions allowed on this check"))


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$")


PATTERNS = [(t, _pattern(t))  # longest first
            for t in sorted(LIBRARY + FIELD_TEMPLATES, key=len, reverse=True) if "{" in t]


def wants_language() -> bool:
    """Did the caller state a language? Machines that did not get the contract's English."""
    if not has_request_context():
        return False
    return bool(request.args.get("lang") or request.cookies.get("lang") or request.headers.get("Accept-Language"))


def _english() -> bool:
    """The pages' rule (web.select_locale): ?lang=, the lang cookie, then Accept-Language; Chinese by default."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in ("zh_CN", "en"):
        return chosen == "en"
    return request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh-CN") == "en"


def _state_words() -> dict[str, str]:
    """A state code (orders, tickets, dish lines, payments) as words, for "{current}"/"{target}"."""
    return {
        "submitted": pgettext("status", "submitted"), "accepted": pgettext("status", "accepted"),
        "preparing": pgettext("status", "preparing"), "ready": pgettext("status", "ready"),
        "served": pgettext("status", "served"), "cancelled": pgettext("status", "cancelled"),
        "new": pgettext("status", "new"), "cooking": pgettext("status", "cooking"),
        "done": pgettext("status", "done"), "bumped": pgettext("status", "bumped"),
        "created": pgettext("status", "created"), "paying": pgettext("status", "paying"),
        "paid": pgettext("status", "paid"), "closed": pgettext("status", "closed"),
    }


def _role_words() -> dict[str, str]:
    return {"owner": gettext("Owner"), "manager": gettext("Manager"), "cashier": gettext("Cashier"),
            "waiter": gettext("Waiter"), "cook": gettext("Cook")}


def _in_words(params: dict[str, Any]) -> dict[str, Any]:
    """Values that are codes (a state, a role) in the caller's words; anything else as it is."""
    states, roles = _state_words(), _role_words()
    out = dict(params)
    for key in ("current", "target"):
        if isinstance(out.get(key), str):
            out[key] = states.get(out[key], out[key])
    if isinstance(out.get("role"), str):
        out["role"] = roles.get(out["role"], out["role"])
    return out


def _known(template: str, params: dict[str, Any]) -> str | None:
    with force_locale("zh_CN"):  # the only other language; its own context, not a cached locale
        translated = gettext(template)
        if translated == template:
            return None
        params = _in_words(params)
    try:
        return translated.format(**params) if params else translated
    except (KeyError, IndexError, ValueError):
        return None


def message(template: str, code: str, params: dict[str, Any] | None = None) -> str:
    """The error's message for this caller: the template in their language, else the code's general one."""
    params = params or {}
    english = template.format(**params) if params else template
    if not wants_language() or _english():
        return english
    return _known(template, params) or _known(GENERAL.get(code, GENERAL["invalid_request"]), {}) or english


def _field(text: str) -> str:
    found = _known(text, {})
    if found is not None:
        return found
    for template, pattern in PATTERNS:
        m = pattern.match(text)
        if m:
            return _known(template, m.groupdict()) or _general_field(text)
    return _general_field(text)


def _general_field(text: str) -> str:
    return _known(FIELD_GENERAL, {}) or text


def fields(value: Any) -> Any:
    """Every message inside a ``fields`` answer ({"name": ["…"], "items": {"0": {…}}}), translated."""
    if not wants_language() or _english():
        return value
    if isinstance(value, str):
        return _field(value)
    if isinstance(value, dict):
        return {k: fields(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fields(v) for v in value]
    return value
