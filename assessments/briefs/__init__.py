"""The PDF brief: its context, its templates, the renderer and the fetcher that lets
the renderer reach nothing but the app's own static files."""
