"""Running behind a reverse proxy (README: Deployment)."""


def test_behind_a_trusted_proxy_the_client_address_and_scheme_are_the_forwarded_ones(make_app):
    from flask import request
    app = make_app(PROXY_COUNT=1)
    seen = {}

    @app.get("/_probe")
    def probe():
        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.7", "secure": True}
    untrusted = make_app()

    @untrusted.get("/_probe")
    def probe2():
        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    untrusted.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen == {"addr": "127.0.0.1", "secure": False}
