"""Values every page's header shows: who is signed in, in which roles, where to go.

Everything is computed lazily, on first use by a template, so htmx fragments that do
not render the header cost no query. A signed-in page's header costs at most three
queries: the user's groups, their departments (staff only) and the unread count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Final

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from notifications.selectors import unread_count
from workflows import roles
from workflows.access.roles import department_codes, departments_of, roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

ROLE_LABELS: Final[dict[str, Promise]] = {
    roles.SUBJECT: _("Subject"),
    roles.AGENT: _("Agent"),
    roles.CREDIT_OFFICE_CLERK: _("Credit office clerk"),
    roles.REVIEWER: _("Reviewer"),
    roles.SECTION_CHIEF: _("Section chief"),
    roles.DEPARTMENT_HEAD: _("Department head"),
    roles.IMPLEMENTING_OFFICER: _("Implementing officer"),
    roles.AUDITOR: _("Auditor"),
    roles.PROCESS_ADMIN: _("Process administrator"),
    roles.SYSTEM_ADMIN: _("System administrator"),
}
STAFF: Final = frozenset(
    {
        roles.CREDIT_OFFICE_CLERK,
        roles.REVIEWER,
        roles.SECTION_CHIEF,
        roles.DEPARTMENT_HEAD,
        roles.IMPLEMENTING_OFFICER,
    }
)
CASE_READERS: Final = STAFF | {roles.AUDITOR, roles.SYSTEM_ADMIN}
ADMINS: Final = frozenset({roles.PROCESS_ADMIN, roles.SYSTEM_ADMIN})
AUDITORS: Final = frozenset({roles.AUDITOR})
PARTIES: Final = frozenset({roles.SUBJECT, roles.AGENT})
# Who sees which link: a set of roles, or "credit_office" (members of a credit office).
AUDIENCE_CREDIT_OFFICE: Final = "credit_office"


@dataclass(frozen=True, slots=True)
class NavItem:
    """One link of the main navigation."""

    key: str
    label: Promise
    url: str
    current: bool = False


# key, label, URL names tried in order (the first that exists wins), audience
NAV: Final[tuple[tuple[str, Promise, tuple[str, ...], frozenset[str] | str], ...]] = (
    ("portal", _("My cases"), ("portal:index", "portal:home"), PARTIES),
    ("tasks", _("Tasks"), ("inbox:list", "inbox:index"), STAFF),
    ("cases", _("Cases"), ("cases:list", "cases:index"), CASE_READERS),
    ("dashboard", _("Dashboard"), ("dashboard:index",), AUDIENCE_CREDIT_OFFICE),
    ("audit", _("Audit"), ("auditing:index", "auditing:search"), AUDITORS),
    ("console", _("Console"), ("console:index", "console:home"), ADMINS),
)
PUBLIC_NAV: Final = (("public", _("Public lists"), ("public:index",)),)


def first_url(names: tuple[str, ...]) -> str | None:
    """Return the URL of the first of ``names`` that exists, or None."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@dataclass(frozen=True, slots=True)
class DepartmentBadge:
    code: str
    name: str
    is_credit_office: bool


class Header:
    """The header of one request; each property runs its query once, when used."""

    def __init__(self, user: AbstractBaseUser | AnonymousUser, path: str = "/") -> None:
        self.user = user
        self.path = path
        self.signed_in = bool(user.is_authenticated)

    @cached_property
    def role_keys(self) -> frozenset[str]:
        """The user's roles (``workflows.roles`` names); one query, shared with
        the permission checks through ``workflows.access.roles``' cache."""
        return roles_of(self.user)  # type: ignore[arg-type]

    @cached_property
    def roles(self) -> list[Promise]:
        """Labels of the user's roles, in a stable order."""
        return [label for key, label in ROLE_LABELS.items() if key in self.role_keys]

    @cached_property
    def departments(self) -> list[DepartmentBadge]:
        """The departments the user works in (one query, staff only)."""
        if not department_codes(self.user):  # type: ignore[arg-type]
            return []
        english = (get_language() or "").startswith("en")
        return [
            DepartmentBadge(
                code=department.code,
                name=(department.name_en if english else "") or department.name,
                is_credit_office=department.is_credit_office,
            )
            for department in departments_of(self.user)  # type: ignore[arg-type]
        ]

    @cached_property
    def unread(self) -> int:
        """Unread notifications of the user (one query)."""
        return unread_count(self.user) if self.signed_in else 0  # type: ignore[arg-type]

    def _sees(self, audience: frozenset[str] | str) -> bool:
        if audience == AUDIENCE_CREDIT_OFFICE:
            return self.sees_dashboard
        return bool(self.role_keys & set(audience))

    @cached_property
    def sees_dashboard(self) -> bool:
        """Credit office staff, auditors and system administrators see the figures."""
        if self.role_keys & {roles.AUDITOR, roles.SYSTEM_ADMIN}:
            return True
        return any(department.is_credit_office for department in self.departments)

    @cached_property
    def nav(self) -> list[NavItem]:
        """The links this user's roles lead to, then the public ones."""
        items: list[NavItem] = []
        if self.signed_in:
            for key, label, names, audience in NAV:
                if self._sees(audience) and (url := first_url(names)):
                    items.append(self._item(key, label, url))
        for key, label, names in PUBLIC_NAV:
            if url := first_url(names):
                items.append(self._item(key, label, url))
        return items

    def _item(self, key: str, label: Promise, url: str) -> NavItem:
        return NavItem(key, label, url, current=self.path.startswith(url))

    @cached_property
    def sign_out_url(self) -> str | None:
        return first_url(("accounts:sign_out",))

    @cached_property
    def sign_in_url(self) -> str | None:
        return first_url(("accounts:sign_in",))

    @cached_property
    def notices_url(self) -> str | None:
        return first_url(("notices:list",))

    @cached_property
    def badge_url(self) -> str | None:
        return first_url(("notices:badge",))


def header_for(request: HttpRequest) -> Header:
    """Return the request's Header, made once, so views and templates share queries."""
    found = getattr(request, "_page_header", None)
    if found is None:
        found = Header(request.user, request.path)
        request._page_header = found  # type: ignore[attr-defined]
    return found


def header(request: HttpRequest) -> dict[str, object]:
    """Return the signed-in user's roles, departments and unread notice count."""
    return {"header": header_for(request)}
