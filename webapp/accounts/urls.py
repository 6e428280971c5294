"""URL routes of the accounts area."""

from django.urls import path

from webapp.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("password/", views.PasswordView.as_view(), name="password_change"),
]
