# "2 ديسمبر 2026": Arabic has no abbreviated months; Django's own adds a comma.
DATE_FORMAT = "j F Y"
