"""Demo data for `make run`: the default framework, two teams, one account per role and
a sample assessment."""
