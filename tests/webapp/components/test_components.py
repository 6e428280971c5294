"""Shared components: deadline and status badges, the field renderer, the header."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser, Group, User
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from webapp.context_processors import Header
from webapp.templatetags.ui import deadline_state_for, soon_until, status_tone
from workflows.credit.services.departments import department_create, membership_grant

SHANGHAI = timezone.get_default_timezone()


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), SHANGHAI)


def test_deadline_state_is_overdue_soon_or_on_time() -> None:
    now = at("2026-06-01")  # a Monday
    threshold = dt.date(2026, 6, 3)  # two working days later
    assert deadline_state_for(None, now=now, threshold=threshold) == "none"
    assert deadline_state_for(at("2026-05-29"), now=now, threshold=threshold) == (
        "overdue"
    )
    assert deadline_state_for(at("2026-06-01", 8), now=now, threshold=threshold) == (
        "overdue"
    )
    assert deadline_state_for(at("2026-06-03", 23), now=now, threshold=threshold) == (
        "soon"
    )
    assert deadline_state_for(at("2026-06-04"), now=now, threshold=threshold) == (
        "on_time"
    )
    assert deadline_state_for(dt.date(2026, 5, 31), now=now, threshold=threshold) == (
        "overdue"
    )


@pytest.mark.django_db
def test_due_soon_counts_working_days_not_calendar_days() -> None:
    # Friday 2026-06-05: two working days later is Tuesday the 9th.
    assert soon_until(dt.date(2026, 6, 5)) == dt.date(2026, 6, 9)
    # Before the Dragon Boat holiday (2026-06-19, a Friday).
    assert soon_until(dt.date(2026, 6, 18)) == dt.date(2026, 6, 23)


@pytest.mark.django_db
def test_deadline_badge_reads_the_calendar_once_per_request(
    django_assert_num_queries: Any, time_machine: Any
) -> None:
    time_machine.move_to(at("2026-06-01"), tick=False)
    template = Template(
        '{% for due in dues %}{% include "components/deadline.html" %}{% endfor %}'
    )
    request = RequestFactory().get("/")
    dues = [at("2026-05-20"), at("2026-06-02"), at("2026-07-01")] * 10
    with translation.override("en"), django_assert_num_queries(1):
        html = template.render(Context({"dues": dues, "request": request}))
    assert html.count("Overdue") == 10
    assert html.count("Due soon") == 10
    assert html.count("deadline-on_time") == 10


def test_deadline_badge_takes_a_given_state_without_a_query() -> None:
    html = Template(
        '{% include "components/deadline.html" with due=due state="overdue" %}'
    ).render(Context({"due": at("2026-07-01")}))
    assert "deadline-overdue" in html
    assert 'datetime="2026-07-01T09:00:00+08:00"' in html


def test_status_tone_maps_keys_to_colours() -> None:
    assert status_tone("completed") == "success"
    assert status_tone("rejected") == "danger"
    assert status_tone("suspended") == "warning"
    assert status_tone("open") == "info"
    assert status_tone("something_else") == "neutral"
    html = Template(
        '{% include "components/status.html" with status="rejected" label="已驳回" %}'
    ).render(Context({}))
    assert html.strip() == '<span class="badge badge-danger">已驳回</span>'


class ReasonForm(forms.Form):
    reason = forms.CharField(help_text="Say why.")


def test_field_renderer_links_help_and_errors_to_the_widget() -> None:
    form = ReasonForm(data={"reason": ""})
    html = Template('{% include "components/field.html" with field=form.reason %}')
    out = html.render(Context({"form": form}))
    assert 'id="id_reason_helptext"' in out
    assert 'id="id_reason_error"' in out
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in out
    assert 'aria-invalid="true"' in out
    assert '<label for="id_reason"' in out


def test_url_if_exists_gives_nothing_for_unknown_routes() -> None:
    html = Template(
        '{% load ui %}{% url_if_exists "no:such" as a %}{% url_if_exists "home" as b %}'
        "[{{ a }}][{{ b }}]"
    ).render(Context({}))
    assert html == "[][/]"


def _member(username: str, *groups: str) -> User:
    user = User.objects.create_user(username)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_header_shows_each_role_its_own_links() -> None:
    def nav(user: User | AnonymousUser) -> list[str]:
        return [item.key for item in Header(user, "/").nav]

    assert nav(AnonymousUser()) == ["public"]
    assert "portal" in nav(_member("party", "subject"))
    assert "tasks" not in nav(_member("party2", "subject"))
    auditor = nav(_member("aud", "auditor"))
    assert "dashboard" in auditor
    assert "tasks" not in auditor
    assert "console" in nav(_member("admin_p", "process_admin"))


@pytest.mark.django_db
def test_header_costs_nothing_unless_rendered_and_three_queries_for_staff(
    django_assert_num_queries: Any,
) -> None:
    office = department_create(
        actor=None,
        code="XYB",
        name="市信用办",
        jurisdiction="national",
        is_credit_office=True,
    )
    clerk = User.objects.create_user("clerk")
    membership_grant(actor=None, user=clerk, department=office, role="clerk")
    user = User.objects.get(pk=clerk.pk)
    with django_assert_num_queries(0):
        header = Header(user, "/dashboard/")
    with django_assert_num_queries(3):  # groups, departments, unread count
        assert [str(label) for label in header.roles]
        assert [d.code for d in header.departments] == ["XYB"]
        assert header.unread == 0
        assert header.sees_dashboard
        assert [i.key for i in header.nav if i.current] == ["dashboard"]
