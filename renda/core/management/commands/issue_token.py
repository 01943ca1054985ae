from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.core.models import User
from renda.core.tokens import issue_token


class Command(BaseCommand):
    help = "为用户签发 API 令牌（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API 访问")
        parser.add_argument("--days", type=int, default=365, help="有效天数，0 表示不过期")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用。")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _, key = issue_token(user=user, name=name, expires_at=expires_at)
        self.stdout.write(key)
