"""Reports: query parameters, answer shapes (for the OpenAPI document) and the CSV exports."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from schema import RequestSchema

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # days a report can be about


def _sane(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise ValidationError("a date between 2000-01-01 and 2099-12-31")


class DailyQuery(RequestSchema):
    date = fields.Date(required=True, validate=_sane, metadata={"description": "business day, store time zone"})


class RangeQuery(RequestSchema):
    from_ = fields.Date(required=True, data_key="from", validate=_sane)
    to = fields.Date(required=True, validate=_sane)

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_kw: Any) -> None:
        if data["to"] < data["from_"]:
            raise ValidationError("must not be before from", "to")
        if (data["to"] - data["from_"]).days >= 366:
            raise ValidationError("a range covers at most a year", "to")


class VoidsSchema(Schema):
    count = fields.Int()
    amount = fields.Int()
    by_reason = fields.List(fields.Dict())
    by_person = fields.List(fields.Dict())


class ItemSalesSchema(Schema):
    item_id = fields.Int()
    name = fields.Str()
    qty = fields.Int()
    sales = fields.Int()


class HourSchema(Schema):
    hour = fields.Int()
    orders = fields.Int()
    net_sales = fields.Int()


class StationFiguresSchema(Schema):
    station = fields.Str()
    tickets = fields.Int()
    prep_p50_s = fields.Int(allow_none=True)
    prep_p90_s = fields.Int(allow_none=True)
    late = fields.Int()
    recalls = fields.Int()


class TablesFiguresSchema(Schema):
    checks = fields.Int()
    turnover = fields.Float()


class DailyReportSchema(Schema):
    date = fields.Str()
    timezone = fields.Str()
    orders = fields.Int()
    gross_sales = fields.Int()
    discounts = fields.Int()
    discounts_by_kind = fields.Dict(keys=fields.Str(), values=fields.Int())
    service_charge = fields.Int()
    net_sales = fields.Int()
    refunds = fields.Int()
    average_check = fields.Int()
    voids = fields.Nested(VoidsSchema)
    payments = fields.Dict(keys=fields.Str(), values=fields.Int())
    items = fields.List(fields.Nested(ItemSalesSchema), metadata={"description": "best sellers first"})
    worst_sellers = fields.List(fields.Nested(ItemSalesSchema))
    hours = fields.List(fields.Nested(HourSchema))
    stations = fields.List(fields.Nested(StationFiguresSchema))
    tables = fields.Nested(TablesFiguresSchema)
    covers = fields.Int(allow_none=True, metadata={"description": "null: no headcount is taken"})


class RangeReportSchema(Schema):
    from_ = fields.Str(data_key="from")
    to = fields.Str()
    timezone = fields.Str()
    previous = fields.Dict()
    days = fields.List(fields.Dict(), metadata={"description": "each day, with the previous period's day"})
    totals = fields.Dict()
    previous_totals = fields.Dict()
    payments = fields.Dict(keys=fields.Str(), values=fields.Int())
    items = fields.List(fields.Dict())
    categories = fields.List(fields.Dict())
    stations = fields.List(fields.Nested(StationFiguresSchema))
    staff = fields.List(fields.Dict())


# -- CSV ------------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    """A spreadsheet must not run a dish name as a formula (=, +, -, @ start one)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


class _Sheet:
    def __init__(self) -> None:
        self.buf = io.StringIO()
        self.buf.write("\ufeff")  # Excel reads UTF-8 (Chinese dish names) only with a BOM
        self.out = csv.writer(self.buf, lineterminator="\r\n")

    def section(self, header: list[str], rows: list[list[Any]]) -> None:
        if self.buf.tell() > 1:
            self.out.writerow([])
        self.out.writerow(header)
        for row in rows:
            self.out.writerow([_cell(v) for v in row])

    def text(self) -> str:
        return self.buf.getvalue()


SUMMARY = ("orders", "gross_sales", "discounts", "service_charge", "net_sales", "refunds", "average_check")


def daily_csv(r: dict[str, Any]) -> str:
    """The daily report as CSV: one section per part, each with its own header (money in fen)."""
    sheet = _Sheet()
    summary = [["date", r["date"]]] + [[k, r[k]] for k in SUMMARY]
    summary += [["discounts_" + k, v] for k, v in r["discounts_by_kind"].items()]
    summary += [["voids_count", r["voids"]["count"]], ["voids_amount", r["voids"]["amount"]],
                ["checks", r["tables"]["checks"]], ["turnover", r["tables"]["turnover"]]]
    sheet.section(["figure", "value"], summary)
    sheet.section(["channel", "amount"], [[k, v] for k, v in r["payments"].items()])
    sheet.section(["item_id", "item", "qty", "sales"], [[i["item_id"], i["name"], i["qty"], i["sales"]]
                                                        for i in r["items"]])
    sheet.section(["hour", "orders", "net_sales"], [[h["hour"], h["orders"], h["net_sales"]] for h in r["hours"]])
    sheet.section(["station", "tickets", "prep_p50_s", "prep_p90_s", "late", "recalls"],
                  [[s["station"], s["tickets"], s["prep_p50_s"], s["prep_p90_s"], s["late"], s["recalls"]]
                   for s in r["stations"]])
    sheet.section(["void_reason", "count", "amount"], [[v["reason"], v["count"], v["amount"]]
                                                       for v in r["voids"]["by_reason"]])
    sheet.section(["void_by", "count", "amount"], [[v["name"], v["count"], v["amount"]]
                                                   for v in r["voids"]["by_person"]])
    return sheet.text()


DAY_COLUMNS = ("orders", "gross_sales", "discounts", "net_sales", "service_charge", "refunds", "payments", "voids",
               "checks", "average_check")


def range_csv(r: dict[str, Any]) -> str:
    sheet = _Sheet()
    sheet.section(["date", *DAY_COLUMNS, "previous_date", *("previous_" + c for c in DAY_COLUMNS)],
                  [[d["date"], *(d[c] for c in DAY_COLUMNS), d["previous"]["date"],
                    *(d["previous"][c] for c in DAY_COLUMNS)] for d in r["days"]]
                  + [["total", *(r["totals"][c] for c in DAY_COLUMNS), "previous_total",
                      *(r["previous_totals"][c] for c in DAY_COLUMNS)]])
    sheet.section(["item_id", "item", "category", "qty", "sales"],
                  [[i["item_id"], i["name"], i["category"], i["qty"], i["sales"]] for i in r["items"]])
    sheet.section(["category", "qty", "sales"], [[c["name"], c["qty"], c["sales"]] for c in r["categories"]])
    sheet.section(["station", "tickets", "prep_p50_s", "prep_p90_s", "late", "recalls"],
                  [[s["station"], s["tickets"], s["prep_p50_s"], s["prep_p90_s"], s["late"], s["recalls"]]
                   for s in r["stations"]])
    sheet.section(["staff", "voids", "voids_amount", "discounts", "discounts_amount"],
                  [[p["name"], p["voids"], p["voids_amount"], p["discounts"], p["discounts_amount"]]
                   for p in r["staff"]])
    return sheet.text()
