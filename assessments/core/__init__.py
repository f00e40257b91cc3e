"""The assessment itself: creating one, its context and collaborators, the dashboard,
the list and search, and the overview page. Also the rules every content write shares
(the editable-status lock, versions, the change stamp) in `services.py`."""
