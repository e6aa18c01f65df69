package io.futexra.cli;

import io.futexra.LockSpace;

/** The text of {@code futex-ra --help} and {@code --version}. */
final class Help {

    static final String TEXT = """
            Usage: futex-ra [--dir DIR] [--space NAME] COMMAND [OPTIONS]
                   futex-ra --space-uri URI COMMAND [OPTIONS]

            Named, robust locks, semaphores and events in shared memory, shared with every JVM and
            script on this host; or, with --space-uri, on another backend (a ZooKeeper ensemble,
            shared by several hosts), with the same commands and exit statuses.

            Commands:
              run --lock NAME [--timeout DUR] [--read | --write] -- CMD [ARG...]
                  Run CMD while holding the lock NAME (--read, --write: the read or write side
                  of the read/write lock NAME; a plain --lock on a read/write lock takes its
                  write side); exit with CMD's status. CMD inherits stdin/stdout/stderr and
                  gets FUTEX_RA_FENCING_TOKEN (grows with every exclusive acquisition) and
                  FUTEX_RA_PREVIOUS_OWNER_DIED (1 if the previous holder died holding it, also
                  said on stderr; else 0). SIGTERM, SIGINT or SIGHUP to futex-ra send SIGTERM
                  to CMD; futex-ra waits for it, releases, and exits with its status. If
                  futex-ra is killed with SIGKILL the kernel releases the lock (the next holder
                  is told) but CMD is not stopped.
              sem NAME --permits N run [--timeout DUR] -- CMD [ARG...]
                  The same, holding one of the N permits (1 to 64) of semaphore NAME.
              signal EVENT [--auto]
                  Signal the event: manual reset wakes every waiter and stays signaled until
                  reset; auto reset (--auto) lets exactly one waiter through per signal.
              reset EVENT [--auto]
                  Clear the event (auto reset: drop pending signals).
              wait EVENT [--auto] [--timeout DUR]
                  Wait until the event is signaled: exit 0, or 75 if DUR passed first.
                  Without --auto the event is manual reset, with it auto reset; an existing
                  event of the other mode is refused (exit 64), as the Java API refuses it.
              ls [--json | --jsonl]
                  List the space's objects: kind, state, holder pid/tid and thread, since when,
                  waiters, acquisitions, contended acquisitions, owner deaths, fencing token
                  (JSON: also owner-death watchers, readers, permits, signaled, event mode, policy). --json prints
                  one JSON array ("[" line, objects with commas, "]" line): parse it whole;
                  --jsonl prints JSON Lines, one complete object per line, for pipelines.
              top [--once] [--interval DUR] [--limit N]
                  A live view of the space, one line per object, hottest first: holder
                  (pid/tid thread; "remote": another host or PID namespace), held for,
                  waiters, acquisitions per second, acquisitions, waits (contended
                  acquisitions), owner deaths. Redraws every DUR (default 1s) in place on
                  the terminal (/dev/tty; over ssh use ssh -t); q quits. --once prints one
                  screen as plain text (rates over one DUR) and exits, for scripts.
              rm
                  Remove the space file, only if no process has the space open (else exit
                  75, nothing removed); every object of the space is forgotten. A space that
                  does not exist is not an error.
              check
                  Check the space file for damage (read only): exit 0 if sound, 65 if damaged,
                  69 if the space does not exist. Prints what it found.

            Options:
              --dir DIR       where spaces live (default: $FUTEX_RA_DIR, else %1$s where it
                              exists (provisioned) or for root, else this user's own
                              %1$s-UID, created mode 700)
              --space NAME    the space (default: $FUTEX_RA_SPACE, else "%2$s")
              --space-uri URI the space on any backend, instead of --dir and --space (default:
                              $FUTEX_RA_SPACE_URI when neither --dir nor --space is given):
                              shm:NAME, shm:/DIR/NAME (shared memory, as --dir DIR --space NAME),
                              zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME (needs the ZooKeeper
                              backend's jars in the lib directory or on $FUTEX_RA_CLASSPATH)
              --timeout DUR   give up after DUR: 250ms, 30s, 5m, 1h or ISO-8601 (PT30S);
                              0 tries once; without it, wait as long as it takes
              -h, --help      this text
              --version       the version

            Exit status:
              0    done; wait: the event was signaled
              N    run, sem run: the command's own status (128+n if signal n ended it)
              64   usage: bad command, option, name, duration or space URI (also: no backend
                   for the URI's scheme here)
              65   the space file is not a usable space (other format or version, corrupt)
              69   no futexes here (not Linux, or the native library cannot load), the
                   backend cannot reach the space (no ZooKeeper server answers), or
                   bin/futex-ra finds no build or no java
              70   internal error in futex-ra (please report the message)
              73   cannot create the space or the object (space full, directory not writable)
              75   timeout: the lock, permit or event did not come in time; nothing was run;
                   rm: a process has the space open; nothing was removed
              77   permission denied on the space file or directory
              126  run, sem run: the command was found but cannot be executed
              127  run, sem run: the command was not found
              130  interrupted (SIGINT) while waiting; nothing was run
              143  terminated (SIGTERM) while waiting; nothing was run
            When the status is futex-ra's own it prints one line "futex-ra: ..." on stderr.
            """.formatted(LockSpace.DEFAULT_DIRECTORY, LockSpace.DEFAULT_SPACE);

    private Help() {
    }

    /** "futex-ra VERSION", from the jar's manifest. */
    static String version() {
        String v = Help.class.getPackage().getImplementationVersion();
        return "futex-ra " + (v != null ? v : "(development build)");
    }
}
