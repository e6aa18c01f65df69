package io.futexra;

import java.util.List;
import java.util.Objects;

/**
 * What {@link LockSpace#check(java.net.URI)} found in a space: the {@code fsck} of a lock space,
 * whatever its backend. A check changes nothing and never takes a lock.
 *
 * @param space how the backend names what it checked (shared memory: the space file's path)
 * @param summary what it saw, in one line (shared memory: objects, slots, words held by live threads)
 * @param problems damage: the space is not as the algorithms leave it
 * @param warnings benign leftovers (e.g. a creator that died between two steps)
 */
public record SpaceReport(String space, String summary, List<String> problems, List<String> warnings) {

    /**
     * Checks the fields and copies the lists.
     *
     * @param space how the backend names what it checked
     * @param summary what it saw, in one line
     * @param problems damage found
     * @param warnings benign leftovers found
     */
    public SpaceReport {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(summary, "summary");
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** {@return whether the space is sound: no problem found (warnings allowed)} */
    public boolean isValid() {
        return problems.isEmpty();
    }

    /** {@code space PATH: valid, SUMMARY}, then one line per problem and per warning. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("space " + space + ": " + (isValid() ? "valid" : "INVALID") + ", " + summary);
        problems.forEach(p -> out.append("\n  problem: ").append(p));
        warnings.forEach(w -> out.append("\n  warning: ").append(w));
        return out.toString();
    }
}
