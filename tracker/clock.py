"""The time of day as the committee lives it: Vietnam's local time, stored naive."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)


def today() -> date:
    return now().date()
