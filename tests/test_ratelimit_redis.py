"""Rate limits in Redis: counters shared by every worker and kept when a worker restarts.

Each app built here stands for a worker process (a new app re-initialises the limiter with a new
storage connection, as a respawned worker does). Uses Redis database 4 on 127.0.0.1:6379 (4 + n
in worker n of ``pytest -n``).
"""

import socket

import pytest
from conftest import REDIS_URL, get_token, make_user


def _redis_up() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379 (CI has one)")


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def _verify_codes(app, n):
    client = app.test_client()
    return [client.get("/verify/NOPE-NOPE").status_code for _ in range(n)]


def test_limits_are_counted_in_redis_across_workers(make_app, redis_db):
    first = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    assert _verify_codes(first, 20) == [404] * 20  # /verify allows 30 per minute per address
    assert redis_db.dbsize() > 0  # the counters live in Redis
    second = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)  # another (or a respawned) worker
    codes = _verify_codes(second, 15)
    assert codes[:10] == [404] * 10 and codes[10:] == [429] * 5
    page = second.test_client().get("/verify/NOPE-NOPE")
    assert page.status_code == 429 and page.headers["Retry-After"].isdigit()
    assert "Wacht" in page.get_data(as_text=True) and "seconden" in page.get_data(as_text=True)


def test_memory_storage_forgets_on_restart(make_app):
    """Why several workers need Redis: a new worker on memory storage starts from zero."""
    _verify_codes(make_app(), 20)
    assert _verify_codes(make_app(), 15) == [404] * 15


def test_account_throttle_is_shared_through_redis(make_app, redis_db):
    first = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    make_user(first)
    client = first.test_client()
    for _ in range(4):
        token = get_token(client, "/login")
        client.post("/login", data={"email": "leerling@example.org", "password": "fout-fout-fout", "csrf_token": token})
    second = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    other = second.test_client()
    token = get_token(other, "/login")
    response = other.post(
        "/login", data={"email": "leerling@example.org", "password": "fout-fout-fout", "csrf_token": token}
    )
    assert response.status_code == 429 and "Wacht" in response.get_data(as_text=True)
