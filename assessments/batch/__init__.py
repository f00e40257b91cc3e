"""Batch exports: a ZIP of a team's approved briefs (the frozen PDFs and JSON snapshots)
for a period, asked for by a supervisor and built in the background."""
