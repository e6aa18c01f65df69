package io.futexra.shedlock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.testing.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A benchmark, not a test (its name keeps it out of the default build): ShedLock's
 * {@code lock} + {@code unlock} of one uncontended task, one thread, with {@link FutexLockProvider}
 * and with ShedLock's {@link JdbcTemplateLockProvider} on H2, embedded in this JVM (the best case
 * for a database: no network) and as a TCP server on localhost (how a shared database is reached).
 * Each JDBC provider keeps one open connection, as a pool would. Run:
 *
 * <pre>
 * mvn -pl integrations/shedlock -am -Dtest=ShedLockBenchmark -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 *
 * Prints a table and writes it to {@code target/shedlock-benchmark.md}.
 */
class ShedLockBenchmark {

    private static final Duration WARMUP = Duration.ofSeconds(2);
    private static final Duration ROUND = Duration.ofSeconds(2);
    private static final int ROUNDS = 3;
    private static final String TABLE = "CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP(3) NOT NULL,"
            + " locked_at TIMESTAMP(3) NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))";

    @Test
    void lockAndUnlock() throws Exception {
        List<String> rows = new ArrayList<>();
        try (TestSpaces dirs = new TestSpaces(); LockSpace space = LockSpace.open(dirs.directory(), "bench")) {
            rows.add(measure("futex-ra FutexLockProvider", new FutexLockProvider(space)));
        }
        try (Connection embedded = DriverManager.getConnection("jdbc:h2:mem:shedlock-embedded;DB_CLOSE_DELAY=-1")) {
            rows.add(measure("JdbcTemplateLockProvider, H2 embedded (in-memory)", jdbc(embedded)));
        }
        Server server = Server.createTcpServer("-tcpPort", "0", "-tcpAllowOthers", "-ifNotExists").start();
        try (Connection remote = DriverManager.getConnection("jdbc:h2:tcp://localhost:" + server.getPort()
                + "/mem:shedlock-server;DB_CLOSE_DELAY=-1")) {
            rows.add(measure("JdbcTemplateLockProvider, H2 TCP server on localhost (in-memory)", jdbc(remote)));
        } finally {
            server.stop();
        }
        String table = "| provider | lock+unlock, µs/op: best round (all rounds) |\n|---|---|\n"
                + String.join("\n", rows) + "\n";
        System.out.println(table);
        Files.writeString(Path.of("target", "shedlock-benchmark.md"), table);
    }

    private static LockProvider jdbc(Connection connection) throws Exception {
        try (Statement create = connection.createStatement()) {
            create.execute(TABLE);
        }
        return new JdbcTemplateLockProvider(new SingleConnectionDataSource(connection, true));
    }

    private static String measure(String name, LockProvider provider) {
        run(provider, WARMUP);
        double best = Double.MAX_VALUE;
        StringBuilder all = new StringBuilder();
        for (int r = 0; r < ROUNDS; r++) {
            double micros = run(provider, ROUND);
            best = Math.min(best, micros);
            all.append(r == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", micros));
        }
        return String.format(Locale.ROOT, "| %s | %.2f (%s) |", name, best, all);
    }

    /** Locks and unlocks for {@code length}; returns the mean µs per lock+unlock. */
    private static double run(LockProvider provider, Duration length) {
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        long ops = 0;
        long now;
        do {
            for (int i = 0; i < 100; i++) {
                LockConfiguration config = new LockConfiguration(ClockProvider.now(), "bench", Duration.ofMinutes(1), Duration.ZERO);
                SimpleLock lock = provider.lock(config).orElse(null);
                assertTrue(lock != null, "an uncontended lock was refused");
                lock.unlock();
            }
            ops += 100;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / 1_000.0 / ops;
    }
}
