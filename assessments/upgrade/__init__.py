"""Moving an assessment to a newer framework version: the preview of where each answer,
dimension, component and score goes, the move itself, and its undo."""
