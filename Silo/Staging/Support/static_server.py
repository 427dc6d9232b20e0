"""Granary's static file server: serves the droplet's folder on 0.0.0.0:$PORT with the standard library.

Run from the droplet root as `python3 .granary/static_server.py`. Serves index.html for a folder, answers
404 for anything missing, never lists folders, never serves dotfiles (.git, .env, .granary) and never
follows a link out of its root.
"""

import email.utils
import mimetypes
import os
import posixpath
import sys
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else os.getcwd())

# The system's mime.types may be missing in a slim image; these must be right for browsers to run a site.
for _type, _extension in [
    ("text/html", ".html"), ("text/css", ".css"), ("text/javascript", ".js"), ("text/javascript", ".mjs"),
    ("application/json", ".json"), ("image/svg+xml", ".svg"), ("image/png", ".png"), ("image/jpeg", ".jpg"),
    ("image/gif", ".gif"), ("image/webp", ".webp"), ("image/x-icon", ".ico"), ("font/woff2", ".woff2"),
    ("font/woff", ".woff"), ("application/wasm", ".wasm"), ("text/plain", ".txt"), ("application/xml", ".xml"),
]:
    mimetypes.add_type(_type, _extension)


def resolve(url_path):
    """The file to serve for a URL path, or None. Pure apart from looking at the file system."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path)
    if "\0" in path or "\\" in path:
        return None
    parts = [part for part in posixpath.normpath("/" + path).split("/") if part]
    if any(part.startswith(".") and part != ".well-known" for part in parts):
        return None
    candidate = os.path.join(ROOT, *parts)
    if os.path.isdir(candidate):
        candidate = os.path.join(candidate, "index.html")
    real = os.path.realpath(candidate)
    if real != ROOT and not real.startswith(ROOT + os.sep):
        return None
    return real if os.path.isfile(real) else None


class Handler(BaseHTTPRequestHandler):
    server_version = "GranaryStatic/1"
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.serve(send_body=True)

    def do_HEAD(self):
        self.serve(send_body=False)

    def serve(self, send_body):
        path = resolve(self.path)
        # A folder asked for without its slash gets one, so relative links in its index.html work.
        url_path = urllib.parse.urlsplit(self.path).path
        if path is not None and not url_path.endswith("/") and os.path.basename(path) == "index.html" \
                and not url_path.endswith("index.html"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path is None:
            body = b"404 Not Found\n"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        content_type, encoding = mimetypes.guess_type(path)
        content_type = content_type or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/json", "application/xml", "image/svg+xml"):
            content_type += "; charset=utf-8"
        try:
            handle = open(path, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with handle:
            stat = os.fstat(handle.fileno())
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(stat.st_size))
            self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
            self.end_headers()
            if send_body:
                while chunk := handle.read(64 * 1024):
                    self.wfile.write(chunk)

    def do_POST(self):
        self.not_allowed()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def not_allowed(self):
        # The request body is never read, so the connection cannot carry another request.
        self.close_connection = True
        body = b"405 Method Not Allowed\n"
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), format % args))
        sys.stdout.flush()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = Server(("0.0.0.0", port), Handler)
    print("Serving %s on 0.0.0.0:%d" % (ROOT, port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
