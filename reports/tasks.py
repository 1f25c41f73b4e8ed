"""Background work for reports: thin callers of services, taking ids."""

from celery import shared_task
from django.conf import settings

from . import services
from .models import Report


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=30)
def generate_report_task(self, report_id: int) -> None:
    """Compute and publish one report version. Idempotent: a published report is left alone.

    Delivered at least once: the message is acknowledged only when the task ends, and comes back
    when the worker process dies. A version another run is computing is looked at again once that
    run's lease would have lapsed: published by then, or taken over from a run that died.
    """
    report = services.generate_report(report_id=report_id)
    if report is not None and report.status == Report.Status.RUNNING and not self.request.is_eager:
        raise self.retry(countdown=settings.REPORT_LEASE_SECONDS)


@shared_task(acks_late=True)
def schedule_monthly_reports_task() -> int:
    """Beat, on the 1st of each month: queue last month's reports. Idempotent per month."""
    return len(services.schedule_monthly_reports())


@shared_task(acks_late=True)
def refresh_dashboard_figures_task() -> int:
    """Beat, every half hour: recount the dashboard's figures of the current month. Idempotent."""
    return len(services.refresh_dashboard_figures())
