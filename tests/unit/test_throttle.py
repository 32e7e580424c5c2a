from datetime import timedelta

from tracker.directory.throttle import LOCAL, PER_USERNAME, client_address


def test_the_wait_starts_after_the_free_failures_doubles_and_stops_at_fifteen_minutes() -> None:
    waits = [PER_USERNAME.wait_after(failures) for failures in range(1, 8)]
    assert waits[:3] == [timedelta(0)] * 3
    assert waits[3:] == [timedelta(seconds=seconds) for seconds in (2, 4, 8, 16)]
    assert PER_USERNAME.wait_after(10_000) == timedelta(minutes=15)


def test_the_connection_address_counts_unless_a_proxy_header_is_configured() -> None:
    spoofed = {"X-Forwarded-For": "10.9.9.9"}
    assert client_address("203.0.113.5", spoofed, None) == "203.0.113.5"
    assert client_address(None, spoofed, None) == LOCAL


def test_behind_a_proxy_the_last_forwarded_address_is_the_one_it_saw() -> None:
    headers = {"x-forwarded-for": "10.9.9.9, 198.51.100.23"}
    assert client_address("127.0.0.1", headers, "X-Forwarded-For") == "198.51.100.23"
    assert client_address("127.0.0.1", {}, "X-Forwarded-For") == "127.0.0.1"
