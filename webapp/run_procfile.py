"""Start the processes of webapp/Procfile under honcho, for `make run`.

honcho SIGKILLs whatever still runs 5 s after Ctrl-C. A Celery worker on the
filesystem broker needs longer to finish its warm shutdown (it leaves its polling
loop only every 2 s, then stops its pool), and a killed worker loses the messages it
had already fetched. This entry point gives the processes 30 s instead.
"""

import honcho.manager  # type: ignore[import-untyped]
from honcho.command import main  # type: ignore[import-untyped]

SHUTDOWN_GRACE_SECONDS = 30

if __name__ == "__main__":
    honcho.manager.KILL_WAIT = SHUTDOWN_GRACE_SECONDS
    main()
