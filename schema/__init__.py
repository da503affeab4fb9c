"""Marshmallow schemas: request bodies in, contract shapes out; also the OpenAPI document."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

# Dates a restaurant can mean: every one of them converts to UTC and back, and a day after the
# last is still a date (0001-01-01T00:00+14:00 is before the first UTC moment Python has).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


class RequestSchema(Schema):
    """Request bodies ignore fields they do not know, so newer clients keep working."""

    class Meta:
        unknown = EXCLUDE


class Moment(fields.AwareDateTime):
    """An ISO 8601 time with offset, between FIRST_DAY and LAST_DAY."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            day = moment.astimezone(UTC).date()
        except OverflowError:
            raise ValidationError("out of range") from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError("must be between 2000-01-01 and 9998-12-31")
        return moment


class Day(fields.Date):
    """A calendar day (YYYY-MM-DD) between FIRST_DAY and LAST_DAY."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Range(FIRST_DAY, LAST_DAY))
        super().__init__(**kwargs)
