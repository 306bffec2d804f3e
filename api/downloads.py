"""Files handed to a reader to save (not shown in the browser), never kept in a cache."""

from __future__ import annotations

from fastapi.responses import Response


def attachment(text: str, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(text, media_type=media_type, headers=headers)
