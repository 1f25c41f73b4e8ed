"""Demo places and one account per role, modelled on the seed article (吴兴区).

Every app may add a ``demo.py`` with ``load(*, stdout)``; ``manage.py load_demo`` calls them in
INSTALLED_APPS order, core first. Each must be idempotent (get_or_create on natural keys).
"""

from django.db import transaction

from .models import Center, Community, District, Role, Street, User
from .services import grant_role

DEMO_PASSWORD = "neighborhood-demo"
DISTRICT = "吴兴区"
# street -> communities that have a community-level center
STREETS = {
    "爱山街道": ["白鱼潭社区", "月漾苑社区"],
    "龙泉街道": ["余家漾社区", "龙庭社区"],
    "月河街道": ["月河社区"],
    "织里镇": ["织里社区"],
}
CENTER_DETAILS = {
    "白鱼潭社区": ("baiyutan", "爱山街道白鱼潭路18号", "养老服务,环保,绿色会客厅,志愿服务"),
    "月漾苑社区": ("yueyangyuan", "爱山街道月漾苑小区12幢", "三点半课堂,亲子,文化"),
    "余家漾社区": ("yujiayang", "龙泉街道余家漾路66号", "协商议事,垃圾分类,文化"),
    "龙庭社区": ("longting", "龙泉街道龙庭路8号", "居家养老,助残,健康"),
    "月河社区": ("yuehe", "月河街道月河路5号", "文化,党建"),
    "织里社区": ("zhili", "织里镇富民路20号", "新居民服务,调解,技能培训"),
}
STREET_SLUGS = {
    "爱山街道": "aishan",
    "龙泉街道": "longquan",
    "月河街道": "yuehe-street",
    "织里镇": "zhili-town",
}

# role name in the e-mail -> (real name, mobile number)
ACCOUNTS = {
    "resident": ("王秀英", "13900000001"),
    "volunteer": ("李志强", "13900000002"),
    "worker": ("周渊", "13900000003"),
    "manager": ("陈丽华", "13900000004"),
    "street": ("吴静华", "13900000005"),
    "district": ("沈建国", "13900000006"),
    "admin": ("系统管理员", "13900000007"),
}
HOME_CENTER_SLUG = "baiyutan"  # the worker's and manager's center
HOME_STREET = "爱山街道"


def demo_user(role: str) -> User:
    return User.objects.get(email=f"{role}@example.com")


def demo_center(slug: str = HOME_CENTER_SLUG) -> Center:
    return Center.objects.get(slug=slug)


@transaction.atomic
def load(*, stdout) -> None:
    district, _ = District.objects.get_or_create(name=DISTRICT)
    for street_name, communities in STREETS.items():
        street, _ = Street.objects.get_or_create(district=district, name=street_name)
        Center.objects.get_or_create(
            slug=STREET_SLUGS[street_name],
            defaults={
                "name": f"{street_name}幸福邻里中心",
                "level": Center.Level.STREET,
                "street": street,
                "address": f"{street_name}政务服务中心一楼",
                "opening_hours": "周一至周日 8:30–17:30",
                "services": "政务咨询,社会组织孵化,志愿服务,协商议事",
            },
        )
        for name in communities:
            community, _ = Community.objects.get_or_create(street=street, name=name)
            slug, address, services = CENTER_DETAILS[name]
            Center.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": f"{name}幸福邻里中心",
                    "level": Center.Level.COMMUNITY,
                    "street": street,
                    "community": community,
                    "address": address,
                    "opening_hours": "周一至周六 8:30–20:00",
                    "services": services,
                },
            )
    users = {}
    for role, (real_name, phone) in ACCOUNTS.items():
        user = User.objects.filter(email=f"{role}@example.com").first()
        if user is None:
            user = User.objects.create_user(
                email=f"{role}@example.com",
                password=DEMO_PASSWORD,
                phone=phone,
                real_name=real_name,
                phone_verified=True,
            )
        users[role] = user
    home = demo_center()
    grant_role(user=users["volunteer"], role=Role.VOLUNTEER)
    grant_role(user=users["worker"], role=Role.SOCIAL_WORKER, center=home)
    grant_role(user=users["manager"], role=Role.CENTER_MANAGER, center=home)
    grant_role(user=users["street"], role=Role.STREET_STAFF, street=Street.objects.get(name=HOME_STREET))
    grant_role(user=users["district"], role=Role.DISTRICT_ADMIN)
    admin = users["admin"]
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    stdout.write(f"core: {Center.objects.count()} centers, {len(users)} demo accounts")
