import logging

# Great Expectations logs each of its ~200 public API registrations at info level when it is imported: 214 of
# the 239 lines of every validate task's log, and of the log of a scheduler or Celery worker that preloads it
# (warehouse/preload.py).
logging.getLogger("great_expectations._docs_decorators").setLevel(logging.WARNING)
