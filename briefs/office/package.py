"""Office packages (DOCX, HWPX) as the same bytes on every build.

python-docx writes its zip with the current time and in the order parts were created; the
package is rewritten here with every entry dated ``when``, in a fixed order (``first`` —
``[Content_Types].xml``, or HWPX's ``mimetype`` — then by name) and fixed attributes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

_EPOCH = dt.datetime(1980, 1, 1)


def zip_time(moment: dt.datetime | dt.date) -> tuple[int, int, int, int, int, int]:
    """A zip entry's date and time (zip cannot date before 1980)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    moment = max(moment.replace(tzinfo=None), _EPOCH)
    return moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second


def normalise(
    data: bytes,
    when: dt.datetime | dt.date,
    *,
    first: Sequence[str] = ("[Content_Types].xml",),
    stored: Sequence[str] = (),
) -> bytes:
    """``data`` (a zip) rewritten with fixed dates, order and attributes; the entries in
    ``stored`` are not compressed (HWPX's ``mimetype`` must not be)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    return pack(entries, when, first=first, stored=stored)


def pack(
    entries: dict[str, bytes],
    when: dt.datetime | dt.date,
    *,
    first: Sequence[str] = (),
    stored: Sequence[str] = (),
) -> bytes:
    """A zip of ``entries`` with fixed dates, order and attributes (as :func:`normalise`)."""
    stamp = zip_time(when)
    names = [n for n in first if n in entries]
    names += sorted(n for n in entries if n not in names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
