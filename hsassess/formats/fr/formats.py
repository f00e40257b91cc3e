# "2 déc. 2026": the abbreviated month, lower case, with its full stop.
DATE_FORMAT = "j N Y"
