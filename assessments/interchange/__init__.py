"""An assessment as data: the JSON export (also approval's snapshot), the threats as
CSV, and the import of a JSON export through the same services the forms use."""
