package io.futexra.quartz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.tools.Server;

/**
 * An H2 database server on loopback, started by a test and stopped after it: the clustered job
 * store that scheduler JVMs share, holding Quartz's tables (from Quartz's own {@code tables_h2.sql})
 * and the test's record of fires.
 */
final class H2Database implements AutoCloseable {

    private final Server server;
    private final String url;

    private H2Database(Server server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts a server on a free loopback port with a new, empty in-memory database, and creates the tables. */
    static H2Database start() throws SQLException, IOException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        H2Database db = new H2Database(server, "jdbc:h2:tcp://127.0.0.1:" + server.getPort()
                + "/mem:quartz-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        db.createTables();
        return db;
    }

    String url() {
        return url;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void createTables() throws SQLException, IOException {
        String ddl;
        try (InputStream in = org.quartz.Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_h2.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement.replace(" IMAGE ", " BLOB "));   // H2 2.x has no IMAGE type
                }
            }
            s.execute("CREATE TABLE FIRES (TRIGGER_NAME VARCHAR(200) NOT NULL, INSTANCE_ID VARCHAR(200) NOT NULL)");
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
