"""The web app: server-rendered pages (Jinja + htmx) for authors, experts and admins."""
