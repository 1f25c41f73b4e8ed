"""Signal receivers: cached public activity pages are dropped when what they show changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.models import Center
from core.pagecache import bump

from .models import Activity, Signup, Space

ACTIVITY_PAGES = "activities"


# A sign-up changes the seats an activity card shows (its confirmed count moves with it).
@receiver([post_save, post_delete], sender=Activity, dispatch_uid="centers.activity_pages.activity")
@receiver([post_save, post_delete], sender=Signup, dispatch_uid="centers.activity_pages.signup")
@receiver([post_save, post_delete], sender=Space, dispatch_uid="centers.activity_pages.space")
@receiver([post_save, post_delete], sender=Center, dispatch_uid="centers.activity_pages.center")
def activity_pages_changed(**kwargs) -> None:
    bump(ACTIVITY_PAGES)
