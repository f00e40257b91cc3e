"""Date formats of each interface language where Django's own do not say what we want
(settings.FORMAT_MODULE_PATH): a date is "2 Dec 2026", never "12/02/2026", and each
language writes its month as its readers do. What a module leaves out is Django's."""
