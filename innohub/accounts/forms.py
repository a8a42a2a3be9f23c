"""Forms for signing up and for the login page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from innohub.accounts.models import User
from innohub.core.personal_data import consent_field


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username or e-mail"), max_length=254, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    # our own words, not Django's stock "Please enter a correct username and password…"
    error_messages = {
        "invalid_login": _("The username or e-mail address and the password do not match an account. Check them and try again: "
                           "capital and small letters count in the password."),
        "inactive": _("This account is not active. Contact the department's administrator."),
    }


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and . @ + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text=_("At least 12 characters, not only digits, not a common password."))
    is_startup = forms.BooleanField(label=_("I sign up for a startup that will apply for support"), required=False)
    consent = consent_field("accounts.signup")

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            candidate = User(username=data.get("username", ""), email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=20,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"}),
    )


class TwoFactorEnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=10,
        help_text=_("The 6-digit code the app shows after you add the account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthenticateForm(forms.Form):
    """The password, or (for an account with an authenticator app) a code from it."""

    password = forms.CharField(label=_("Your password"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}))
    code = forms.CharField(
        label=_("Or a code from your authenticator app"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        if not data.get("password") and not data.get("code"):
            raise forms.ValidationError(_("Enter your password or a code from your app."))
        return data
