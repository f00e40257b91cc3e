"""Release 1's age bands and the ranges migration 0016 makes of them, written out here
(not read from the code under test) for the migration tests."""

AGE_RANGES = {
    "all": (None, None),
    "0-5": (0, 5),
    "6-12": (6, 12),
    "13-17": (13, 17),
    "18-49": (18, 49),
    "50-59": (50, 59),
    "60-69": (60, 69),
    "70-79": (70, 79),
    "80+": (80, None),
    "children": (0, 17),
    "adults": (18, 59),
    "older": (60, None),
}
