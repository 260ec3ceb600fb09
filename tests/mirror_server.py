"""A local HTTP server standing in for the real sites: a fixtures tree served at /HOST/PATH.

`guide capture --from-url http://127.0.0.1:PORT` fetches https://HOST/PATH from
http://127.0.0.1:PORT/HOST/PATH. Files are found by guide.routing's own layout rules (`…/` is
`index.html`, then `PATH`, `PATH.html`, `PATH/index.html`); form posts are answered like the
GET of their action URL, and the page echoes what was posted (« envoyé à camille.martin@… »),
raw, decoded and as JSON, as real confirmation pages do: what a capture must scrub.
"""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

from guide.routing import FixtureRouter, content_type


class MirrorServer:
    """`with MirrorServer(root) as server:` … `server.base` is the address to give --from-url."""

    def __init__(self, root: Path, port: int = 0):
        self.router = FixtureRouter(root)
        self.requests: list[str] = []  # "POST /host/path", in order
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="mirror-server", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> MirrorServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                form = self.rfile.read(int(self.headers.get("content-length") or 0)).decode("utf-8", "replace")
                self._answer(form)

            def _answer(self, form: str | None = None) -> None:
                server.requests.append(f"{self.command} {self.path}")
                host, _, path = self.path.lstrip("/").partition("/")
                file = server.router.file_for(f"https://{host}/{path}")
                if file is None:
                    self.send_error(404)
                    return
                body = file.read_bytes()
                if form is not None:
                    body = body.replace(b"</body>", echo(form).encode("utf-8") + b"</body>")
                self.send_response(200)
                self.send_header("content-type", content_type(file))
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def echo(form: str) -> str:
    """What the site says it received: the values shown, the raw form, the values as JSON."""
    fields = dict(parse_qsl(form))
    shown = ", ".join(html.escape(value) for value in fields.values())
    return (
        f"<p hidden>Reçu : {shown}</p><!-- {html.escape(form)} -->"
        f'<script type="application/json">{json.dumps(fields)}</script>\n'
    )


def main() -> None:
    """`python -m tests.mirror_server DIR --port N`: serve DIR until Ctrl-C (worked examples)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", type=Path, help="the fixtures tree to serve")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = MirrorServer(args.root, port=args.port)
    print(f"serving {args.root} at {server.base}/HOST/PATH", flush=True)
    with server:
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
