"""Printers and print jobs: console requests and answers (a printer's key is never in an answer)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.print_docs import PAPER_WIDTHS
from printers import KINDS
from schema import RequestSchema

NAME = validate.Length(1, 50)
STATIONS = fields.List(fields.Str(validate=validate.Length(1, 20)), validate=validate.Length(max=20))


class _PrinterFields(RequestSchema):
    name = fields.Str(validate=NAME)
    host = fields.Str(allow_none=True, validate=validate.Length(max=253),
                      metadata={"description": "escpos: IP address or ASCII host name"})
    port = fields.Int(strict=True, allow_none=True, validate=validate.Range(1, 65535),
                      metadata={"description": "escpos: TCP port, usually 9100"})
    sn = fields.Str(validate=validate.Length(max=32), metadata={"description": "feie: serial number"})
    key = fields.Str(validate=validate.Length(max=64), load_only=True,
                     metadata={"description": "feie: the key on the printer's label (never returned)"})
    paper_width = fields.Int(strict=True, validate=validate.OneOf(PAPER_WIDTHS))
    stations = STATIONS
    receipts = fields.Bool()


class PrinterCreate(_PrinterFields):
    name = fields.Str(required=True, validate=NAME)
    kind = fields.Str(required=True, validate=validate.OneOf(sorted(KINDS)))
    paper_width = fields.Int(strict=True, load_default=80, validate=validate.OneOf(PAPER_WIDTHS))
    stations = fields.List(fields.Str(validate=validate.Length(1, 20)), load_default=list,
                           validate=validate.Length(max=20))
    receipts = fields.Bool(load_default=False)


class PrinterPatch(_PrinterFields):
    pass


class PrinterSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    kind = fields.Str()
    host = fields.Str(allow_none=True)
    port = fields.Int(allow_none=True)
    sn = fields.Str(allow_none=True)
    key_set = fields.Bool()
    paper_width = fields.Int()
    stations = fields.List(fields.Str())
    receipts = fields.Bool()
    state = fields.Str(metadata={"description": "ok | down | rejected"})
    down_since = fields.DateTime(allow_none=True)
    state_reason = fields.Str()
    queue = fields.Int(metadata={"description": "jobs waiting"})


class PrinterEnvelope(Schema):
    printer = fields.Nested(PrinterSchema)


class PrintersEnvelope(Schema):
    printers = fields.List(fields.Nested(PrinterSchema))


class PrintJobSchema(Schema):
    id = fields.Int()
    printer_id = fields.Int()
    kind = fields.Str(metadata={"description": "ticket | void | moved | receipt | test"})
    status = fields.Str(metadata={"description": "queued | printed | failed"})
    attempts = fields.Int()
    created_at = fields.DateTime()
    printed_at = fields.DateTime(allow_none=True)
    last_error = fields.Str()
    reprint_of = fields.Int(allow_none=True)
    ticket_id = fields.Int(allow_none=True)


class PrintJobEnvelope(Schema):
    job = fields.Nested(PrintJobSchema)


class PrintJobsEnvelope(Schema):
    jobs = fields.List(fields.Nested(PrintJobSchema))


class PrintRequest(RequestSchema):
    client_key = fields.Str(load_default=None, validate=validate.Length(1, 64),
                            metadata={"description": "makes a retried request print once"})


class ReceiptRequest(PrintRequest):
    table_session_id = fields.Int(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))
