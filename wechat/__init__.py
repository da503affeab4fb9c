"""The only code that talks to WeChat: mini-program login, WeChat Pay v3, and the sandbox."""
