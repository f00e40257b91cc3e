"""The review workflow (submit, comment, return, approve, reopen), comments, and the
briefs that approval freezes and later verifies."""
