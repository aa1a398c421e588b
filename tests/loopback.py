"""A loopback HTTP server for tests (never the internet), used through the `server` fixture of `conftest.py`.

It serves `files[path] = bytes`, honouring `Range: bytes=N-` (206) unless `ranges` is False, and
`routes[path] = (status, body, announced Content-Length or None, bytes actually sent or None)` exactly as given
(for broken servers: a wrong status, a short body, a length it does not keep). Any other path is a 404. Each
request's path and Range header is recorded in `requests`.
"""

from __future__ import annotations

import http.server
import threading


class LoopbackServer:
    def __init__(self, ranges: bool = True) -> None:
        self.files: dict[str, bytes] = {}
        self.routes: dict[str, tuple[int, bytes, int | None, int | None]] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.ranges = ranges
        srv = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                rng = self.headers.get("Range")
                srv.requests.append((self.path, rng))
                route = srv.routes.get(self.path)
                body = srv.files.get(self.path)
                if route is not None:
                    status, body, announced, sent = route
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body) if announced is None else announced))
                    self.end_headers()
                    self._send(body[:sent] if sent is not None else body)
                    self.close_connection = True
                    return
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                start = int(rng.removeprefix("bytes=").rstrip("-")) if rng and srv.ranges else 0
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self._send(body[start:])

            def _send(self, data: bytes) -> None:
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (oversized tests)
                    pass

            def log_message(self, *args) -> None:
                pass

        class Quiet(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # no traceback on stderr for a closed client
                pass

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
