package io.futexra.cli;

import io.futexra.EventMode;
import io.futexra.LockSpace;
import io.futexra.NamedEvent;
import io.futexra.ObjectInfo;
import io.futexra.ObjectKind;
import io.futexra.SpaceFullException;

/** Gets named objects from a space, turning the API's refusals into exit statuses. */
final class NamedObjects {

    private NamedObjects() {
    }

    /**
     * The exit status for the API refusing a name: a bad name, a name of another kind, or other
     * options than the existing object's is 64; a full space 73; anything else passes through.
     */
    static RuntimeException refused(RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
            return CliException.usage(e.getMessage());
        }
        if (e instanceof SpaceFullException) {
            return new CliException(ExitCodes.CANT_CREATE, e.getMessage());
        }
        return e;
    }

    /** The snapshot of object {@code name}, or null if there is none. */
    static ObjectInfo info(LockSpace space, String name) {
        for (ObjectInfo o : space.objects()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The kind of object {@code name}, or null if there is none. */
    static ObjectKind kindOf(LockSpace space, String name) {
        ObjectInfo o = info(space, name);
        return o == null ? null : o.kind();
    }

    /**
     * The event {@code name}, auto-reset if {@code auto}, else manual-reset; an existing event of
     * the other mode is refused with the API's message (exit 64), as the Java API refuses it.
     */
    static NamedEvent event(LockSpace space, String name, boolean auto) {
        try {
            return space.event(name, auto ? EventMode.AUTO_RESET : EventMode.MANUAL_RESET);
        } catch (RuntimeException e) {
            throw refused(e);
        }
    }
}
