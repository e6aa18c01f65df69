package io.futexra.quartz;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.quartz.utils.ConnectionProvider;

/**
 * Quartz's data source for the tests: H2's own small connection pool (Quartz's default pools,
 * c3p0 and HikariCP, are optional dependencies of Quartz). Quartz sets {@link #setUrl} from
 * {@code org.quartz.dataSource.NAME.url}.
 */
public final class H2ConnectionProvider implements ConnectionProvider {

    private String url;
    private JdbcConnectionPool pool;

    public void setUrl(String url) {
        this.url = url;
    }

    @Override
    public void initialize() {
        pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(20);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void shutdown() {
        pool.dispose();
    }
}
