"""Sign-in, sign-out, password change and the start page that sends each role on."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from webapp.accounts.forms import PasswordForm, SignInForm
from webapp.accounts.services import account_password_change
from webapp.accounts.workspaces import workspace_url
from webapp.ratelimits import rate_limited


def home(request: HttpRequest) -> HttpResponse:
    """Send the user to the workspace of their main role (anonymous: sign in)."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    url = workspace_url(request.user)
    if url is None:
        return render(request, "accounts/home.html")
    return redirect(url)


@method_decorator(
    rate_limited(key="ip", rate="RATELIMIT_SIGN_IN", group="accounts.sign_in"),
    name="post",
)
class SignInView(auth.LoginView):
    """Django's sign-in, rate-limited per address; axes locks out per account."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context


class SignOutView(auth.LogoutView):
    """GET asks for confirmation; only POST signs out (a link cannot sign you out)."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/sign_out.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


@method_decorator(
    rate_limited(key="user", rate="10/h", group="accounts.password_change"),
    name="post",
)
class PasswordView(auth.PasswordChangeView):
    """Change the password; every other session of the account ends."""

    template_name = "accounts/password_change.html"
    form_class = PasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordForm) -> HttpResponse:
        user = cast(User, form.user)
        account_password_change(
            actor=user, new_password=form.cleaned_data["new_password1"]
        )
        # The hash changed with the password: keep this session, end the others.
        update_session_auth_hash(self.request, user)
        messages.success(
            self.request,
            _(
                "Your password has been changed. Every other session of your "
                "account has been signed out."
            ),
        )
        return HttpResponseRedirect(self.get_success_url())
