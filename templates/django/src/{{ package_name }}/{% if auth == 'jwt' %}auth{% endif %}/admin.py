from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("id", "email", "is_staff", "date_joined")
    search_fields = ("email",)
    exclude = ("password",)
