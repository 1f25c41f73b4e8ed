"""The district's list of service domains (data migration; staff may add more in the admin)."""

from django.db import migrations

DOMAINS = [
    "养老服务", "儿童青少年", "三点半课堂", "环境保护", "社区营造", "协商议事", "矛盾调解", "志愿服务",
    "助残服务", "党建引领", "健康服务", "文化体育", "新居民服务", "技能培训", "公益慈善", "社会组织培育",
]


def add(apps, schema_editor):
    Domain = apps.get_model("orgs", "Domain")
    for name in DOMAINS:
        Domain.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_stage_history_append_only")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
