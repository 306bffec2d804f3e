"""Decode untrusted image bytes into a BGR array, with bounded time and memory.

Every failure is a `InputImageError` with a stable code; nothing else escapes. The pixel limit
is checked from the header, before any pixel is decoded, so a decompression bomb costs nothing.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from proctor.errors import ErrorCode, InputImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 12 MP phone photo fits three times over; 40000x40000 does not
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "BMP", "TIFF", "MPO"})


def read_image_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file's bytes for `decode_image`, refusing missing and oversize files."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputImageError(
                f"{p.name} is {size} bytes; the limit is {max_bytes}",
                code=ErrorCode.IMAGE_TOO_LARGE,
                size=size,
                limit=max_bytes,
            )
        return p.read_bytes()
    except InputImageError:
        raise
    except OSError as exc:
        raise InputImageError(
            f"{p} cannot be read: {exc.strerror or exc}", code=ErrorCode.FILE_NOT_FOUND
        ) from exc


def decode_image(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> np.ndarray:
    """Decode image bytes to an (H, W, 3) uint8 BGR array, upright per its EXIF orientation.

    Greyscale, palette, CMYK and 16-bit images are converted; transparency is flattened onto
    white (a registration photo with a cut-out background still shows a face on white).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputImageError(
            f"image must be bytes, not {type(data).__name__}", code=ErrorCode.IMAGE_INVALID_ARRAY
        )
    if len(data) == 0:
        raise InputImageError("the image is empty (0 bytes)", code=ErrorCode.IMAGE_EMPTY)
    if len(data) > max_bytes:
        raise InputImageError(
            f"the image is {len(data)} bytes; the limit is {max_bytes}",
            code=ErrorCode.IMAGE_TOO_LARGE,
            size=len(data),
            limit=max_bytes,
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns (then errors) on huge images by its own global limit; ours is tighter.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise InputImageError(
            "the image declares more pixels than allowed", code=ErrorCode.IMAGE_TOO_LARGE
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        if _is_heif(data):
            raise InputImageError(
                "HEIC/HEIF photos are not accepted; send JPEG or PNG",
                code=ErrorCode.IMAGE_UNSUPPORTED,
                format="HEIF",
            ) from exc
        raise InputImageError(
            "the data is not a readable image", code=ErrorCode.IMAGE_UNREADABLE
        ) from exc
    with image:
        return _to_bgr(image, max_pixels)


def _is_heif(data: bytes | bytearray | memoryview) -> bool:
    # ISO base media file with a HEIF brand: what iPhones save by default.
    return bytes(data[4:8]) == b"ftyp" and bytes(data[8:12]) in {
        b"heic",
        b"heix",
        b"hevc",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
        b"avif",
    }


def _to_bgr(image: Image.Image, max_pixels: int) -> np.ndarray:
    if image.format not in ALLOWED_FORMATS:
        raise InputImageError(
            f"image format {image.format} is not accepted",
            code=ErrorCode.IMAGE_UNSUPPORTED,
            format=str(image.format),
        )
    width, height = image.size
    if width <= 0 or height <= 0:
        raise InputImageError("the image has no pixels", code=ErrorCode.IMAGE_UNREADABLE)
    if width * height > max_pixels:
        raise InputImageError(
            f"the image is {width}x{height} pixels; the limit is {max_pixels} pixels",
            code=ErrorCode.IMAGE_TOO_LARGE,
            width=width,
            height=height,
            limit=max_pixels,
        )
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
        rgb = _flatten_to_rgb(upright)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        # Pillow raises OSError("image file is truncated ...") for cut-off JPEG and PNG data.
        code = ErrorCode.IMAGE_TRUNCATED if "truncated" in str(exc) else ErrorCode.IMAGE_UNREADABLE
        raise InputImageError("the image data is damaged or incomplete", code=code) from exc
    array = np.asarray(rgb, dtype=np.uint8)
    return np.ascontiguousarray(array[:, :, ::-1])


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: keep the top 8 bits rather than clipping everything to white.
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def load_image(source: str | Path | bytes | bytearray | memoryview) -> np.ndarray:
    """Decode an image given as bytes or as a file path (see `decode_image`)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return decode_image(source)
    if not isinstance(source, str | Path):
        raise InputImageError(
            f"an image is bytes or a path, not {type(source).__name__}",
            code=ErrorCode.IMAGE_INVALID_ARRAY,
        )
    return decode_image(read_image_file(source))


def check_array(image: object) -> np.ndarray:
    """Refuse anything but an (H, W, 3) uint8 array, with a typed error."""
    if not isinstance(image, np.ndarray):
        raise InputImageError(
            f"image must be a NumPy array, not {type(image).__name__}",
            code=ErrorCode.IMAGE_INVALID_ARRAY,
        )
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise InputImageError(
            f"image must be (H, W, 3) uint8, got {image.shape} {image.dtype}",
            code=ErrorCode.IMAGE_INVALID_ARRAY,
        )
    if image.shape[0] < 2 or image.shape[1] < 2:
        raise InputImageError(
            "image is too small to hold a face", code=ErrorCode.IMAGE_INVALID_ARRAY
        )
    return image
