# Day, short month, year: unambiguous on both sides of the Atlantic.
DATE_FORMAT = "j M Y"
# Tables and lists write dates the same way: never 12/02/2026, which reads two ways.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATE_FORMAT + " H:i"
DATETIME_FORMAT = DATE_FORMAT + " H:i"
