"""Tests of the ``manage.py bpmn`` operator command."""
