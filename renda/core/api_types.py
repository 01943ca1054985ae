"""Bounded integer types of the API's parameters and schemas (ranges from renda.core.numbers).

An unbounded int reaches the database and overflows its column (a 500 on PostgreSQL); these
answer the Chinese 422 instead and document the range in the OpenAPI document."""

from renda.core import numbers

Id = numbers.ID.api
Year = numbers.YEAR.api
Quarter = numbers.QUARTER.api
QuarterOrYear = numbers.QUARTER_OR_YEAR.api
Term = numbers.TERM.api
Session = numbers.SESSION.api
SortOrder = numbers.SORT_ORDER.api
Position = numbers.POSITION.api
Percent = numbers.PERCENT.api
Capacity = numbers.CAPACITY.api
People = numbers.PEOPLE.api
Invitees = numbers.INVITEES.api
Votes = numbers.VOTES.api
Days = numbers.DAYS.api
DaySpan = numbers.DAY_SPAN.api
MeetingNumber = numbers.MEETING_NUMBER.api
HalfDays = numbers.HALF_DAYS.api
Times = numbers.TIMES.api
Weight = numbers.WEIGHT.api
Count = numbers.COUNT.api
Version = numbers.VERSION.api
FileSize = numbers.FILE_SIZE.api
Serial = numbers.SERIAL.api
Total = numbers.TOTAL.api
Offset = numbers.OFFSET.api
Limit = numbers.LIMIT.api
Small = numbers.SMALL.api
