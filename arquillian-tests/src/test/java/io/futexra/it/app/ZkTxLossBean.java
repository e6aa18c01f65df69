package io.futexra.it.app;

import io.futexra.it.inflow.app.Record;
import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jca.TransactionHold;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * An EJB whose transaction does database work (a row in WildFly's ExampleDS) under a ZooKeeper
 * lock taken for the transaction ({@code acquireForTransaction} on the connection definition
 * {@value ZkDefinitionBean#JNDI_NAME}). It records {@code held-LOCK TOKEN} once it holds the lock
 * and has written its row, and returns (the container commits) once the file {@code release} exists.
 */
@Stateless
public class ZkTxLossBean {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Resource(lookup = ZkDefinitionBean.JNDI_NAME)
    private LockFactory locks;

    @Resource(lookup = "java:jboss/datasources/ExampleDS")
    private DataSource db;

    /** Creates the table if missing, outside any transaction. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void prepare() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS zk_tx_loss (id VARCHAR(100) PRIMARY KEY)");
        }
    }

    /** Takes {@code lock} for the transaction, inserts row {@code id}, records, waits for {@code release}. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String workUnderLock(String lock, String id, Path release) throws SQLException, InterruptedException {
        TransactionHold hold;
        try (LockConnection c = locks.getConnection()) {
            hold = c.lock(lock).acquireForTransaction(WAIT);
        }
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO zk_tx_loss (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
        Record.line("held-" + lock, Long.toString(hold.fencingToken()));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(release)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the test did not create " + release + " within " + WAIT);
            }
            Thread.sleep(20);
        }
        return "TOKEN " + hold.fencingToken();
    }

    /** How many rows {@code id} has (committed work only). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int rows(String id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM zk_tx_loss WHERE id = ?")) {
            count.setString(1, id);
            try (ResultSet r = count.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
