"""The data master key the tests seal with, and sessions that carry it, as the service's do."""

from __future__ import annotations

import base64

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from proctor.sealing.envelope import Keyring
from proctor.sealing.values import bind
from proctor.store.database import make_sessionmaker

DATA_KEY = "dGVzdC1kYXRhLW1hc3Rlci1rZXktb2YtMzItYnl0ZXM="  # 32 bytes, base64
KEYRING = Keyring(base64.b64decode(DATA_KEY))


def sealed_sessions(engine: Engine) -> sessionmaker[Session]:
    return bind(make_sessionmaker(engine), KEYRING)
