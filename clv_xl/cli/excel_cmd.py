"""``clv-xl addin build|install`` and ``clv-xl serve``: bring clv-xl into Excel."""

from __future__ import annotations

from pathlib import Path

import click

from clv_xl.cli._language import echo, lang_option, say

__all__ = ["addin", "serve"]


@click.group()
def addin() -> None:
    """Build or install the classic Excel add-in (a CLV ribbon tab with Generate report).

    \b
    Example:
      clv-xl addin build -o dist
    """


@addin.command("build")
@click.option(
    "-o",
    "--out-dir",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write clv_xl_addin.xlam to.",
)
@lang_option()
def addin_build(out_dir: Path, lang: str) -> None:
    """Build clv_xl_addin.xlam from the installed xlwings (its VBA must match that version).

    \b
    Example:
      clv-xl addin build -o dist
    """
    from clv_xl.excel.addin import build_addin

    path = build_addin(out_dir)
    say("cli.wrote", path=path)


@addin.command("install")
@lang_option()
def addin_install(lang: str) -> None:
    """Install the xlwings add-in and clv_xl_addin.xlam into Excel (Windows/macOS) and register the functions.

    Sets "UDF Modules" to clv_xl.excel.udfs in the xlwings config; restart Excel and click
    xlwings > Import Functions once.

    \b
    Example:
      clv-xl addin install
    """
    from clv_xl.excel.addin import install_addin

    for line in install_addin():
        echo(line)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the add-in manifest (to sideload into Excel) to this file and exit.",
)
@click.option("--url", default=None, help="Public address (behind a proxy); used in the manifest, may call the server.")
@click.option(
    "--ssl-certfile", default=None, type=click.Path(exists=True, dir_okay=False),
    help="TLS certificate (Excel needs HTTPS for add-ins).",
)
@click.option("--ssl-keyfile", default=None, type=click.Path(exists=True, dir_okay=False), help="TLS private key.")
@click.option(
    "--auth/--no-auth",
    default=None,
    help="Require the access token (CLV_XL_SERVER_TOKEN, else a new one printed at start) on every call. "
    "Default: on unless --host is loopback.",
)
@click.option(
    "--insecure-http",
    is_flag=True,
    help="Serve plain HTTP on a non-loopback --host (only behind a proxy that terminates TLS).",
)
@click.option("--allow-origin", "allow_origins", multiple=True, help="A further origin (https://host) allowed to call.")
@click.option(
    "--max-request-mb",
    default=16.0,
    show_default=True,
    type=click.FloatRange(min=0.001, max=1024),
    help="Largest request accepted, in MB (the report button sends the workbook's values).",
)
@lang_option()
def serve(
    host: str,
    port: int,
    manifest: Path | None,
    url: str | None,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
    auth: bool | None,
    insecure_http: bool,
    allow_origins: tuple[str, ...],
    max_request_mb: float,
    lang: str,
) -> None:
    """Run xlwings Server: the CLV functions (=CLV.CLV(50, 2, 3)) and a Generate report button.

    Needs the server extra (pip install "clv-xl[server]") and XLWINGS_LICENSE_KEY: "noncommercial"
    for non-commercial use (PolyForm Noncommercial), else a paid xlwings key. Outside loopback it needs
    TLS (or --insecure-http behind a TLS proxy) and asks for an access token.

    \b
    Examples:
      clv-xl serve --manifest clv-manifest.xml
      XLWINGS_LICENSE_KEY=noncommercial clv-xl serve --ssl-certfile localhost.pem --ssl-keyfile localhost-key.pem
    """
    from clv_xl.excel import serve as server

    if manifest is not None:
        # Excel loads add-ins over HTTPS only: the manifest says https unless --insecure-http is given
        base = server.public_url(host, port, https=not insecure_http, url=url)
        path = server.write_manifest(manifest, base)
        say("cli.manifest", path=path, url=base)
        if not base.startswith("https://"):
            say("cli.https_note")
        return
    server.serve(
        host,
        port,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        auth=auth,
        insecure_http=insecure_http,
        url=url,
        allow_origins=allow_origins,
        max_request_bytes=int(max_request_mb * 1024 * 1024),
    )
