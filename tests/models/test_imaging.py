"""Bad and unusual image input: a typed error with a stable code, or a correct decode."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image

from proctor.errors import ErrorCode, InputImageError
from proctor.models.imaging import check_array, decode_image, load_image


def encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kwargs)
    return buf.getvalue()


def rgb_pattern(width: int = 64, height: int = 48) -> Image.Image:
    array = np.zeros((height, width, 3), np.uint8)
    array[: height // 2, : width // 2] = (255, 0, 0)  # red top-left quadrant marks "up-left"
    return Image.fromarray(array, "RGB")


def png_bomb(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height; its pixel data is a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def expect(code: ErrorCode, data) -> InputImageError:
    with pytest.raises(InputImageError) as info:
        decode_image(data)
    assert info.value.code is code
    return info.value


def test_non_image_bytes():
    expect(ErrorCode.IMAGE_UNREADABLE, b"%PDF-1.7 this is not an image at all")


def test_empty_file():
    expect(ErrorCode.IMAGE_EMPTY, b"")


def test_wrong_type():
    expect(ErrorCode.IMAGE_INVALID_ARRAY, "photo.jpg")


def test_too_many_bytes():
    with pytest.raises(InputImageError) as info:
        decode_image(b"\xff" * 100, max_bytes=50)
    assert info.value.code is ErrorCode.IMAGE_TOO_LARGE


def test_truncated_jpeg():
    data = encode(Image.effect_noise((400, 300), 64).convert("RGB"), "JPEG", quality=90)
    expect(ErrorCode.IMAGE_TRUNCATED, data[: len(data) // 2])


def test_truncated_png():
    data = encode(Image.effect_noise((400, 300), 64).convert("RGB"), "PNG")
    err = expect(ErrorCode.IMAGE_TRUNCATED, data[: len(data) // 2])
    assert "damaged" in err.message


@pytest.mark.parametrize("size", [(40_000, 40_000), (7_000, 7_000)])
def test_decompression_bomb_is_refused_before_decoding(size):
    data = png_bomb(*size)
    tracemalloc.start()
    try:
        err = expect(ErrorCode.IMAGE_TOO_LARGE, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # a decoded 7000x7000 image alone would be 49 MB
    assert err.code is ErrorCode.IMAGE_TOO_LARGE


def test_unsupported_format():
    expect(ErrorCode.IMAGE_UNSUPPORTED, encode(rgb_pattern(), "GIF"))


def test_heic_from_a_phone_is_refused_by_name():
    heic_header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    err = expect(ErrorCode.IMAGE_UNSUPPORTED, heic_header)
    assert "HEIC" in err.message


def test_png_with_alpha_is_flattened_on_white():
    rgba = Image.new("RGBA", (10, 10), (0, 0, 255, 0))  # fully transparent blue
    rgba.putpixel((0, 0), (0, 0, 255, 255))
    out = decode_image(encode(rgba, "PNG"))
    assert out.shape == (10, 10, 3) and out.dtype == np.uint8
    assert tuple(out[5, 5]) == (255, 255, 255)
    assert tuple(out[0, 0]) == (255, 0, 0)  # opaque blue, in BGR


def test_greyscale_becomes_three_channels():
    out = decode_image(encode(Image.new("L", (8, 6), 77), "JPEG", quality=100))
    assert out.shape == (6, 8, 3)
    assert np.all(np.abs(out.astype(int) - 77) <= 1)


def test_cmyk_jpeg_is_converted():
    cmyk = Image.new("CMYK", (8, 8), (0, 255, 255, 0))  # red ink
    out = decode_image(encode(cmyk, "JPEG", quality=100))
    b, g, r = (int(v) for v in out[4, 4])
    assert r > 200 and g < 60 and b < 60


def test_sixteen_bit_greyscale_keeps_its_tones():
    img = Image.fromarray(np.full((4, 4), 32768, np.uint16))
    out = decode_image(encode(img, "PNG"))
    assert 120 <= int(out[0, 0, 0]) <= 135


@pytest.mark.parametrize(
    ("orientation", "corner"), [(1, (0, 0)), (3, (-1, -1)), (6, (0, -1)), (8, (-1, 0))]
)
def test_exif_orientation_is_respected(orientation, corner):
    image = rgb_pattern(64, 48)
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = decode_image(encode(image, "JPEG", quality=95, exif=exif.tobytes()))
    expected_shape = (48, 64, 3) if orientation in (1, 3) else (64, 48, 3)
    assert out.shape == expected_shape
    y, x = corner
    assert out[y, x, 2] > 200 and out[y, x, 0] < 60  # the red quadrant moved with the rotation


def test_load_image_from_path_and_missing_path(tmp_path):
    path = tmp_path / "p.png"
    path.write_bytes(encode(rgb_pattern(), "PNG"))
    assert load_image(path).shape == (48, 64, 3)
    assert load_image(str(path)).shape == (48, 64, 3)
    assert load_image(bytearray(path.read_bytes())).shape == (48, 64, 3)
    with pytest.raises(InputImageError) as info:
        load_image(12345)
    assert info.value.code is ErrorCode.IMAGE_INVALID_ARRAY
    with pytest.raises(InputImageError) as info:
        load_image(tmp_path / "absent.jpg")
    assert info.value.code is ErrorCode.FILE_NOT_FOUND


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [[1, 2, 3]],
        np.zeros((4, 4), np.uint8),
        np.zeros((4, 4, 3), np.float32),
        np.zeros((1, 1, 3), np.uint8),
    ],
)
def test_check_array_refuses_what_is_not_an_image(bad):
    with pytest.raises(InputImageError) as info:
        check_array(bad)
    assert info.value.code is ErrorCode.IMAGE_INVALID_ARRAY
