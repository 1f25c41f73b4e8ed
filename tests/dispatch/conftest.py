import pytest
from django.test import TestCase


@pytest.fixture
def on_commit():
    """Run on-commit callbacks (queued tasks) when the block ends, as a committed transaction would."""
    return lambda: TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def outbox():
    from core.sms import MemorySmsBackend

    return MemorySmsBackend.outbox
