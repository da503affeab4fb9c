"""Entry point for gunicorn: ``gunicorn -k geventwebsocket.gunicorn.workers.GeventWebSocketWorker wsgi:app``."""
from app import create_app

app = create_app()
