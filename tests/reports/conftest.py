from __future__ import annotations

import pytest

from tests.reports.surgery_db import SurgeryDb, write_surgery_db


@pytest.fixture(scope="package")
def surgery_db(tmp_path_factory: pytest.TempPathFactory) -> SurgeryDb:
    """Written once for all report tests; they only read it (each CLI test copies it first if it must write)."""
    return write_surgery_db(tmp_path_factory.mktemp("reports"))
