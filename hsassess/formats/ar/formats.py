# "2 ديسمبر 2026": Arabic has no abbreviated months; Django's own adds a comma.
DATE_FORMAT = "j F Y"
# Tables and lists write dates the same way: never 12/02/2026, which reads two ways.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATE_FORMAT + " H:i"
DATETIME_FORMAT = DATE_FORMAT + " H:i"
