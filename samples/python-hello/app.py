"""Granary sample: a standard-library HTTP server answering with the instance that served the request."""

import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "8080"))
INDEX = os.environ.get("GRANARY_INSTANCE_INDEX", "?")
try:
    APP_NAME = json.loads(os.environ.get("GRANARY_APPLICATION", "{}")).get("app_name") or "python-hello"
except ValueError:
    APP_NAME = "python-hello"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"Hello from {APP_NAME} (python {sys.version.split()[0]}), instance {INDEX}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        print("%s %s" % (self.address_string(), format % args), flush=True)


def main():
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    server.daemon_threads = True
    # SIGTERM ends the process at once; the default would leave serve_forever running until SIGKILL.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"python-hello instance {INDEX} listening on port {PORT}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
