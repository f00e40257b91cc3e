# Day, short month, year: unambiguous on both sides of the Atlantic.
DATE_FORMAT = "j M Y"
