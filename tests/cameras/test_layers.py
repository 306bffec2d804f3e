"""The station agent runs on exam PCs: it talks to the server over HTTP and loads none of the
server's persistence or web code."""

from __future__ import annotations

import json
import subprocess
import sys

SERVER_SIDE = ("proctor.store", "proctor.api", "sqlalchemy", "alembic", "fastapi", "uvicorn")
CODE = """
import json, sys
import proctor.cameras.agent, proctor.cameras.sources, proctor.cameras.station_engine
print(json.dumps(sorted(sys.modules)))
"""


def test_the_agent_imports_no_database_or_web_service_code():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stdout)
    assert "proctor.cameras.agent" in loaded
    assert [m for m in loaded if m.startswith(SERVER_SIDE)] == []
