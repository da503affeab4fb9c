"""An emulator of Alipay's open-API gateway and of the payer's phone, served at ``/alipay-sandbox``.

It speaks Alipay's formats (common parameters, RSA2 signatures both ways, ``…_response`` JSON,
codes and sub_codes) so the app's client and Alipay SDKs run unchanged against it; only the
gateway URL and keys differ. Its state lives in ``instance/alipay-sandbox/state.db``, apart from
the product's database, so it works with any number of app processes.

``gateway`` (the protocol), ``trades`` (pay, query, cancel, refund), ``phone`` (the payer's code
and password), ``standalone`` (the sandbox without the product, for SDK tests and integrators).
Alipay's asynchronous notifies are not sent: the app learns a face-to-face payment's outcome by
querying, as Alipay advises for bar-code payments.
"""
from alipay_open.sandbox import phone as _phone  # noqa: F401 - registers its routes on bp
from alipay_open.sandbox import trades as _trades  # noqa: F401
from alipay_open.sandbox.gateway import bp

__all__ = ["bp"]
