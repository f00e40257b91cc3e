# "2 dic 2026": the abbreviated month, lower case.
DATE_FORMAT = "j b Y"
