"""Serving stored images: personal data, so never cached by shared caches."""

from __future__ import annotations

from fastapi.responses import Response

from proctor.store.exam import Blob


def private_image(blob: Blob) -> Response:
    return Response(
        blob.data,
        media_type=blob.content_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
