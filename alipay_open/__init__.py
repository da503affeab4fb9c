"""Alipay's open API (face-to-face payments, 当面付) and its sandbox: the only code that speaks to Alipay.

Named ``alipay_open`` rather than ``alipay`` because the Alipay SDK the client uses
(``python-alipay-sdk``, see docs/payments.md) installs a top-level package called ``alipay``: a
package of ours with that name would hide it.

- ``client``: the app's Alipay client, a :class:`domain.codepay.CodeProvider` for payment codes;
  the SDK builds and signs requests and verifies Alipay's answers, ``http`` carries them.
- ``sandbox``: an emulator of Alipay's gateway (``/alipay-sandbox/gateway.do``) and of the payer's
  phone, registered in sandbox mode beside the WeChat sandbox.
"""
