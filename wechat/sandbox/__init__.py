"""An emulator of WeChat's servers for the demo and the tests, served at ``/wechat-sandbox``.

It speaks WeChat's formats (errcodes, JSON shapes) so the production client code runs unchanged
against it; only the base URL and keys differ. Its state lives in its own SQLite file under
``instance/wechat-sandbox/``, apart from the product's database, so it works with any number
of app processes.
"""
from wechat.sandbox import pay as _pay  # noqa: F401 - registers the Pay v3 routes on bp
from wechat.sandbox.routes import bp

__all__ = ["bp"]
