package io.aegis.gateway.apikey.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Applies the versioned SQL scripts of a component ({@code META-INF/aegis/db/<component>/V<n>__<name>.sql})
 * to PostgreSQL, recording each in {@code aegis_schema_history} with a checksum. Everything runs in
 * one transaction under an advisory lock, so concurrent replicas migrate once and a failed script
 * leaves nothing behind (PostgreSQL DDL is transactional). A script changed after it was applied
 * is refused.
 */
public final class SchemaMigrator {

    /** One script. */
    public record Migration(int version, String description, String resource) {
    }

    private final String component;
    private final List<Migration> migrations;
    private final String schema;
    private final int timeoutSeconds;

    /**
     * @param schema the schema name, or {@code null} for the connection's default
     */
    public SchemaMigrator(String component, List<Migration> migrations, String schema, int timeoutSeconds) {
        this.component = component;
        this.migrations = List.copyOf(migrations);
        this.schema = schema;
        this.timeoutSeconds = timeoutSeconds;
    }

    private String q(String table) {
        return schema == null ? table : schema + "." + table;
    }

    /** The latest version the scripts define. */
    public int latest() {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    /** The version applied in the database (0 when none). */
    public int current(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM "
                + q("aegis_schema_history") + " WHERE component = ?")) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, component);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return 0; // no history table (or schema) yet
            }
            throw e;
        }
    }

    /**
     * Applies every script not applied yet.
     *
     * @return the versions applied now, in order
     * @throws SQLException when the database fails; nothing is applied then
     * @throws IllegalStateException when an applied script was changed since
     */
    public List<Integer> migrate(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        List<Integer> applied = new ArrayList<>();
        try {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(timeoutSeconds);
                st.execute("SELECT pg_advisory_xact_lock(" + lockKey() + ")");
                if (schema != null) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                }
                st.execute("CREATE TABLE IF NOT EXISTS " + q("aegis_schema_history") + " ("
                        + "component VARCHAR(64) NOT NULL, version INT NOT NULL, description VARCHAR(200) NOT NULL, "
                        + "checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (component, version))");
            }
            Map<Integer, String> done = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT version, checksum FROM " + q("aegis_schema_history")
                    + " WHERE component = ?")) {
                st.setQueryTimeout(timeoutSeconds);
                st.setString(1, component);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        done.put(rs.getInt(1), rs.getString(2));
                    }
                }
            }
            for (Migration m : migrations) {
                String sql = read(m.resource());
                String sum = checksum(sql);
                String prior = done.get(m.version());
                if (prior != null) {
                    if (!prior.equals(sum)) {
                        throw new IllegalStateException("migration " + component + " V" + m.version() + " (" + m.description()
                                + ") was changed after it was applied: checksum " + sum + ", applied " + prior);
                    }
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    st.setQueryTimeout(Math.max(timeoutSeconds, 30));
                    for (String statement : statements(sql.replace("${schema}", schema == null ? "" : schema + "."))) {
                        st.execute(statement);
                    }
                }
                try (PreparedStatement st = c.prepareStatement("INSERT INTO " + q("aegis_schema_history")
                        + " (component, version, description, checksum, applied_at) VALUES (?, ?, ?, ?, ?)")) {
                    st.setQueryTimeout(timeoutSeconds);
                    st.setString(1, component);
                    st.setInt(2, m.version());
                    st.setString(3, m.description());
                    st.setString(4, sum);
                    st.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
                    st.executeUpdate();
                }
                applied.add(m.version());
            }
            c.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private long lockKey() {
        return ("aegis_schema_history:" + (schema == null ? "" : schema)).hashCode();
    }

    /** Splits a script at semicolons that end a line; {@code --} comment lines are dropped. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = cur.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + resource, e);
        }
    }

    private static String checksum(String sql) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
