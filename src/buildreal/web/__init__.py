"""The Django project: settings, URLs, WSGI entry point, base templates and static files."""
