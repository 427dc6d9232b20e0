"""Granary's WSGI runner: serves wsgi:application (or wsgi:app) on 0.0.0.0:$PORT with the standard library.

Run from the droplet root as `python3 .granary/wsgi_server.py`. Threaded wsgiref: fine for small apps;
an app that needs a production server names it in a Procfile instead.
"""

import importlib
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), format % args))
        sys.stdout.flush()


def load():
    sys.path.insert(0, os.getcwd())
    module = importlib.import_module("wsgi")
    for name in ("application", "app"):
        candidate = getattr(module, name, None)
        if callable(candidate):
            return candidate
    sys.stderr.write("wsgi.py defines neither `application` nor `app`: define one of them as your WSGI callable\n")
    sys.exit(1)


def main():
    application = load()
    port = int(os.environ.get("PORT", "8080"))
    server = make_server("0.0.0.0", port, application, server_class=Server, handler_class=Handler)
    print("Serving wsgi:%s on 0.0.0.0:%d" % (application.__name__ if hasattr(application, "__name__") else "app", port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
