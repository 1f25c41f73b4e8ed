"""Background work for reports: thin callers of services, taking ids."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def generate_report_task(report_id: int) -> None:
    """Compute and publish one report version. Idempotent: a published report is left alone."""
    services.generate_report(report_id=report_id)


@shared_task(acks_late=True)
def schedule_monthly_reports_task() -> int:
    """Beat, on the 1st of each month: queue last month's reports. Idempotent per month."""
    return len(services.schedule_monthly_reports())
