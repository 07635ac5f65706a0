"""Where a brief's charts are, and the entry to their validation pass.

Light on purpose: :mod:`briefs.check.chart_data` (and the chart modules it needs) is
imported only when a brief has charts, so a brief without them pays nothing for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefs.errors import Diagnostic
from briefs.schema.charts import chart_locations

if TYPE_CHECKING:
    from briefs.schema.brief import Brief
    from briefs.source import Source


def check(source: Source, brief: Brief | None) -> list[Diagnostic]:
    """Check every chart's data and spec, positioned; keep the data with the chart.

    See :func:`briefs.check.chart_data.check_charts`; a brief without charts returns at once.
    """
    if not chart_locations(source.data):
        return []
    from briefs.check.chart_data import check_charts

    return check_charts(source, brief)
