"""Entry point for gunicorn: ``gunicorn -c gunicorn.conf.py wsgi:app`` (see gunicorn.conf.py for the worker)."""
from app import create_app

app = create_app()
