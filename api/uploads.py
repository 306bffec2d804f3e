"""Size-capped reading of uploaded files, and a cap on every request body."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proctor.api.errors import error_response
from proctor.errors import ErrorCode, ProctorError

PhotoUpload = Annotated[UploadFile, File(description="A photo: JPEG, PNG or WebP.")]


def read_capped(upload: UploadFile, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise ProctorError(
            f"the upload is larger than {limit} bytes",
            code=ErrorCode.UPLOAD_TOO_LARGE,
            limit=limit,
        )
    return data


class BodyLimit:
    """Refuse request bodies over `limit` bytes (by Content-Length, or while streaming in),
    before the multipart parser spools them to disk."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = overflowed = False

        async def counting_receive() -> Message:
            nonlocal received, overflowed
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    overflowed = True
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if overflowed and not started:
                # The app caught the cut-off body as a parse error (FastAPI answers 400): the
                # client is told what happened instead, whatever the transfer encoding.
                if message["type"] == "http.response.start":
                    started = True
                    await self._refuse(scope, receive, send)
                return
            if overflowed:
                return  # the rest of the app's answer to a body it never had
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLargeError:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            ErrorCode.UPLOAD_TOO_LARGE,
            f"the request body is larger than {self.limit} bytes",
            limit=self.limit,
        )
        await response(scope, receive, send)


class _BodyTooLargeError(Exception):
    pass
