# "2 dic 2026": the abbreviated month, lower case.
DATE_FORMAT = "j b Y"
# Tables and lists write dates the same way: never 12/02/2026, which reads two ways.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATE_FORMAT + " H:i"
DATETIME_FORMAT = DATE_FORMAT + " H:i"
