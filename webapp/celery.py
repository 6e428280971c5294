"""The Celery application shared by the web app, the workers and beat."""

import logging
import os
from pathlib import Path
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")

app = Celery("webapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Named by path: the step imports models, which must wait until Django is set up.
app.steps["worker"].add("webapp.heartbeat:WorkerHeartbeat")

_BROKER_FOLDER_KEYS = (
    "data_folder_in",
    "data_folder_out",
    "processed_folder",
    "control_folder",
)


@app.on_after_configure.connect
def create_broker_folders(sender: Celery, **kwargs: Any) -> None:
    """Create the filesystem broker's folders; kombu expects them to exist."""
    if not str(sender.conf.broker_url).startswith("filesystem://"):
        return
    options = sender.conf.broker_transport_options
    try:
        for key in _BROKER_FOLDER_KEYS:
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    except OSError:
        # /healthz reports the broker unhealthy; the process itself keeps starting.
        logging.getLogger(__name__).exception("Cannot create the broker folders")
