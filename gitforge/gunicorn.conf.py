"""How gitforge is served: `gunicorn -c gitforge/gunicorn.conf.py` (scripts/serve, and the test
that holds slow clients against it).

Threaded workers (gthread), because a sync worker gives its whole process to one connection
from the first byte to the last: three clients sending a header byte a second stalled the site.
A gthread worker waits for a new connection's first bytes in its event loop, but a thread still
reads the rest of the request (headers and body) blocking, so each trickling client holds one
thread. Hence many threads per worker: more than one worker's worth of slow clients leaves the
others answering, and a thread costs little while it waits on a socket. The database sees one
connection per thread that serves a request, so WEB_THREADS x WEB_CONCURRENCY must stay under
PostgreSQL's max_connections. An async worker (gevent, an ASGI server) would not tie threads to
slow clients at all, but needs a dependency and changes how Django, psycopg and pygit2 run;
for a public site, a buffering proxy in front (nginx) is the stronger answer (README, Limits).
"""

import os

wsgi_app = "gitforge.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "32"))
# Heartbeat of a worker's event loop (not a request deadline for gthread): a wedged worker is
# replaced after this many seconds.
timeout = 30
graceful_timeout = 30
# Idle kept-alive connections wait in the event loop, not in a thread; closed after 5 s.
keepalive = 5
accesslog = "-"
