package io.aegis.gateway.apikey;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal {@link DataSource} that opens a new connection per call through {@link DriverManager}.
 * Enough for the demo and for stores whose lookups are cached; use a pooled data source in
 * production. The login timeout is passed to the driver ({@code loginTimeout},
 * {@code connectTimeout} for PostgreSQL).
 *
 * <p>Thread-safe.
 */
public final class DriverManagerDataSource implements DataSource {

    private final String url;
    private final Properties properties = new Properties();
    private volatile int loginTimeoutSeconds;

    /**
     * @param url the JDBC URL
     * @param user the user, or {@code null}
     * @param password the password, or {@code null}
     * @param loginTimeout how long opening a connection may take
     */
    public DriverManagerDataSource(String url, String user, String password, Duration loginTimeout) {
        this.url = Objects.requireNonNull(url, "url");
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        this.loginTimeoutSeconds = (int) Math.max(1, loginTimeout.toSeconds());
    }

    @Override
    public Connection getConnection() throws SQLException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        p.setProperty("connectTimeout", Integer.toString(loginTimeoutSeconds));
        return DriverManager.getConnection(url, p);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        p.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        return DriverManager.getConnection(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging is not used");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "DriverManagerDataSource[" + url.replaceAll("password=[^&;]*", "password=****") + "]";
    }
}
