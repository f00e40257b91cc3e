# "2 déc. 2026": the abbreviated month, lower case, with its full stop.
DATE_FORMAT = "j N Y"
# Tables and lists write dates the same way: never 12/02/2026, which reads two ways.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATE_FORMAT + " H:i"
DATETIME_FORMAT = DATE_FORMAT + " H:i"
