from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Django model permissions follow the platform's roles: the `admin` role may maintain every
    table through the admin pages; nobody else gets Django permissions."""

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and user_obj.roles.is_admin

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and user_obj.roles.is_admin
