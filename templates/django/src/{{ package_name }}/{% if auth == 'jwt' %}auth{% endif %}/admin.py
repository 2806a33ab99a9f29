"""The users in Django's admin: Django's own UserAdmin, for a user named by an e-mail address."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import User


class EmailAddressMixin(forms.ModelForm[User]):
    def clean_email(self) -> str:
        """The address as the API stores it, in lower case: one account, however typed."""
        return User.objects.normalize_email(self.cleaned_data["email"])


class UserCreationForm(EmailAddressMixin, AdminUserCreationForm[User]):
    """A password, typed twice and checked by AUTH_PASSWORD_VALIDATORS, as registration is."""

    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(EmailAddressMixin, UserChangeForm[User]):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("id", "email", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email",)
    ordering = ("email",)
    # The password as its hash, with Django's link to set a new one.
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
