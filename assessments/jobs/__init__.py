"""Background work people ask for and follow: the Job, its runner, its page."""
