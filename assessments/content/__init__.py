"""The analysis an assessment holds: answers to the framework's prompts, population
groups (for whom), threats with their component tags and indicators (from what) and
responses (by what means). `selectors.AssessmentData` is the one loaded view of all of
it that the overview, the lens check, the brief and the exports read."""
