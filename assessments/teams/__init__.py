"""Teams and memberships (a role per team): the stock admin pages that operators use to
manage them, and the reads that list a team's people."""
