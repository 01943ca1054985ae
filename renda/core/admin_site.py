"""Django admin opened to the `admin` role (not to Django's is_staff flag), in Chinese."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class RendaAdminSite(admin.AdminSite):
    site_header = "人大工作平台 · 系统管理"
    site_title = "系统管理"
    index_title = "配置、账号、机构与日历"

    def has_permission(self, request):
        return request.user.is_active and request.user.roles.is_admin

    def login(self, request, extra_context=None):
        # One log-in page for the whole platform. (Imported here: this module loads with the apps.)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())


class RendaAdminConfig(AdminConfig):
    default_site = "renda.core.admin_site.RendaAdminSite"
