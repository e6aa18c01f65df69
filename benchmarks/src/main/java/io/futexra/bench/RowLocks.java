package io.futexra.bench;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.NamedLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row locks users replace, against a {@link NamedLock} in the same run: PostgreSQL
 * {@code SELECT … FOR UPDATE} + {@code COMMIT}, and {@code pg_advisory_lock} +
 * {@code pg_advisory_unlock}, one connection, uncontended. Runs only when a JDBC URL is given.
 * Each figure is the median of 5 rounds, after a warm-up; microseconds per acquire + release.
 */
final class RowLocks {

    private RowLocks() {
    }

    static Map<String, Double> measure(String url, Path dir, int iterations) throws Exception {
        Map<String, Double> micros = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS futexra_bench (id int PRIMARY KEY, v bigint)");
                s.execute("INSERT INTO futexra_bench VALUES (1, 0) ON CONFLICT DO NOTHING");
            }
            c.setAutoCommit(false);
            try (PreparedStatement forUpdate = c.prepareStatement("SELECT v FROM futexra_bench WHERE id = 1 FOR UPDATE")) {
                micros.put("PostgreSQL SELECT ... FOR UPDATE + COMMIT", median(iterations, () -> {
                    try (ResultSet rs = forUpdate.executeQuery()) {
                        rs.next();
                    }
                    c.commit();
                }));
            }
            c.setAutoCommit(true);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(42)");
                 PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(42)")) {
                micros.put("PostgreSQL pg_advisory_lock + unlock", median(iterations, () -> {
                    lock.execute();
                    unlock.execute();
                }));
            }
        }
        try (LockSpace space = LockSpace.open(dir, "rowlocks")) {
            NamedLock lock = space.lock("account-42");
            micros.put("futex-ra NamedLock acquire + release", median(iterations * 1000, () -> {
                try (Held h = lock.acquire()) {
                    // the same empty critical section
                }
            }));
        }
        return micros;
    }

    private interface Op {
        void run() throws SQLException;
    }

    private static double median(int iterations, Op op) throws SQLException {
        for (int i = 0; i < iterations; i++) {
            op.run(); // warm-up
        }
        double[] rounds = new double[5];
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                op.run();
            }
            rounds[r] = (System.nanoTime() - t0) / 1e3 / iterations;
        }
        Arrays.sort(rounds);
        return rounds[2];
    }
}
