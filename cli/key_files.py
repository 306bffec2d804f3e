"""Handing a new key to the operator: printed as an environment line, or written to a key file
that never replaces another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from proctor.errors import ConfigError


def hand_out(out: Path | None, variable: str, encoded: str, write: Callable[[Path], None]) -> None:
    if out is None:
        typer.echo(f"{variable}={encoded}")
        return
    try:
        write(out)
    except FileExistsError as exc:
        raise ConfigError(f"{out} exists: a key file is never overwritten") from exc
    typer.echo(f"key written to {out}")
