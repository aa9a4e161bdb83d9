"""The ``equipoise dashboard`` command (registered on the CLI group by :mod:`equipoise.cli`)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import click

__all__ = ["dashboard_cmd"]


@click.command("dashboard")
@click.option(
    "--port", "-p", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; only this machine can connect unless you choose another.",
)
def dashboard_cmd(port: int, host: str) -> None:
    """Serve the browser dashboard (Streamlit) and print its address; Ctrl-C stops it."""
    from equipoise.dashboard import streamlit_command

    missing = [
        m for m in ("streamlit", "matplotlib", "networkx") if not importlib.util.find_spec(m)
    ]
    if missing:
        raise click.ClickException(
            f"the dashboard needs {', '.join(missing)}: pip install 'equipoise[dashboard]'"
        )
    if not host.strip() or any(c.isspace() for c in host):
        raise click.BadParameter(f"not a host address: {host!r}", param_hint="--host")
    click.echo(f"equipoise dashboard on http://{host}:{port} (Ctrl-C to stop)", err=True)
    command = streamlit_command(sys.executable, host=host, port=port)
    if os.name == "posix":  # become the server: signals and the process id are its own
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 0
    if code not in (0, -2, 130):
        raise click.ClickException(f"the dashboard server stopped with exit code {code}")
