package io.futexra.cli;

import io.futexra.Held;
import java.time.Duration;

/** One way to acquire what {@code run} holds while its command runs: a lock, a read lock, a permit. */
interface Acquirer {

    /** Acquires, waiting for ever when {@code timeout} is null; throws the API's timeout or interrupt exception. */
    Held acquire(Duration timeout);

    /** What is acquired, for messages: {@code lock 'nightly' in space 'default'}. */
    String describe();

    /** Who holds it now, for a timeout message ({@code " (held by pid 12, thread 'main')"}), or "". */
    String holders();
}
