package io.futexra.cli;

import io.futexra.LockSpace;
import io.futexra.NamedLock;
import io.futexra.SpaceFullException;

/** Gets named objects from a space, turning the API's refusals into exit statuses. */
final class NamedObjects {

    private NamedObjects() {
    }

    /** The lock {@code name}: a bad name or a name of another kind is 64, a full space 73. */
    static NamedLock create(LockSpace space, String name) {
        try {
            return space.lock(name);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } catch (SpaceFullException e) {
            throw new CliException(ExitCodes.CANT_CREATE, e.getMessage());
        }
    }
}
