"""An emulator of WeChat's servers for the demo and the tests, served at ``/wechat-sandbox``.

It speaks WeChat's formats (errcodes, JSON shapes, Pay v3 signatures and encryption) so the
production client code, and WeChat's own SDKs, run unchanged against it; only the base URL and
keys differ. Its state lives in its own SQLite file under ``instance/wechat-sandbox/``, apart
from the product's database, so it works with any number of app processes.

One module per part of WeChat, each registering its routes on ``bp``:
``routes`` (the phone's login, jscode2session, access tokens, mini-program codes),
``pay`` (JSAPI prepay, queries, close, the phone's confirm), ``codepay`` (payment codes: the
payer's code, codepay, reverse, the password), ``refunds``, ``certificates``;
``v3`` holds what every Pay route shares (signature checks, signed answers, WeChat's error
codes) and ``notify`` the signed, encrypted notifies and their retry schedule. Another payment
product (the payment-code routes) is one more module importing ``v3`` and ``notify``; another
provider's sandbox (Alipay) is a sibling blueprint registered beside this one in ``app.py``.
"""
from wechat.sandbox import certificates as _certificates  # noqa: F401 - registers its routes on bp
from wechat.sandbox import codepay as _codepay  # noqa: F401
from wechat.sandbox import pay as _pay  # noqa: F401
from wechat.sandbox import refunds as _refunds  # noqa: F401
from wechat.sandbox.routes import bp

__all__ = ["bp"]
