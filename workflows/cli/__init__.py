"""Helpers of ``manage.py bpmn``: arguments, verbs, input parsing and output."""
