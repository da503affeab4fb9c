"""Alipay open API (face-to-face payments) and its sandbox: the only code that speaks to Alipay."""
