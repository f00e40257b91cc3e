"""Evidence: the source register, people's own words (quotes with consent), citations."""
