"""HTTP to the payment providers (WeChat Pay, Alipay): the transport both provider packages share.

Below wechat/ and alipay_open/, above nothing: it knows HTTP, not any provider."""
