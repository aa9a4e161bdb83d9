"""The browser dashboard: a Streamlit app over the engine, the report figures and history.

``equipoise dashboard [--port P] [--host H]`` serves :mod:`equipoise.dashboard.app`
on ``127.0.0.1`` (another address only when asked). Simulations run in
background :class:`~equipoise.dashboard.jobs.Job` s so that the page stays
responsive. Needs the ``dashboard`` extra (streamlit, matplotlib, networkx).
"""

from pathlib import Path

__all__ = ["APP", "streamlit_command"]

#: The Streamlit script.
APP = Path(__file__).with_name("app.py")


def streamlit_command(python: str, host: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """The command line that serves the dashboard with Streamlit.

    Parameters
    ----------
    python : str
        The Python interpreter (usually ``sys.executable``).
    host : str
        Address to bind: the loopback interface unless another is asked for.
    port : int
        TCP port.

    Examples
    --------
    >>> streamlit_command("python", port=8600)[:4]
    ['python', '-m', 'streamlit', 'run']
    """
    return [
        python,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.maxUploadSize",
        "1",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]
