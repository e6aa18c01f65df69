package io.futexra.it;

import io.futexra.EventMode;
import io.futexra.Held;
import io.futexra.LockSpace;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The standalone JVM of {@link ZooKeeperConnectionDefinitionIT}: {@code URI COMMAND_DIR} — opens
 * the space through the API and runs the commands the test writes as files {@code COMMAND_DIR/1},
 * {@code 2}, … (one line each, in order), answering each on stdout with a line {@code N ANSWER}:
 * <ul>
 * <li>{@code hold LOCK}: acquires (waiting up to 60 s) and keeps it: {@code N HELD TOKEN DIED}</li>
 * <li>{@code release LOCK}: releases what {@code hold} took: {@code N RELEASED}</li>
 * <li>{@code try LOCK}: tries once, releasing at once what it got: {@code N FREE TOKEN} or {@code N TAKEN}</li>
 * <li>{@code signal EVENT}: signals the auto-reset event: {@code N SIGNALED}</li>
 * </ul>
 * Prints {@code READY} once the space is open.
 */
public final class ZkPeerMain {

    private ZkPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path commands = Path.of(args[1]);
        Map<String, Held> holds = new HashMap<>();
        try (LockSpace space = LockSpace.open(URI.create(args[0]))) {
            System.out.println("READY");
            for (int n = 1; ; n++) {
                Path file = commands.resolve(Integer.toString(n));
                while (!Files.exists(file)) {
                    Thread.sleep(20); // the test's next command
                }
                String[] command = Files.readString(file).trim().split(" ");
                String name = command[1];
                String answer = switch (command[0]) {
                    case "hold" -> {
                        Held held = space.lock(name).acquire(Duration.ofSeconds(60));
                        holds.put(name, held);
                        yield "HELD " + held.fencingToken() + " " + held.previousOwnerDied();
                    }
                    case "release" -> {
                        holds.remove(name).close();
                        yield "RELEASED";
                    }
                    case "try" -> {
                        Optional<Held> got = space.lock(name).tryAcquire();
                        got.ifPresent(Held::close);
                        yield got.map(h -> "FREE " + h.fencingToken()).orElse("TAKEN");
                    }
                    case "signal" -> {
                        space.event(name, EventMode.AUTO_RESET).signal();
                        yield "SIGNALED";
                    }
                    default -> throw new IllegalArgumentException("unknown command: " + String.join(" ", command));
                };
                System.out.println(n + " " + answer);
            }
        }
    }
}
