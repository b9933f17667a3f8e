package io.aegis.gateway.apikey;

import io.aegis.gateway.apikey.internal.SchemaMigrator;
import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import io.aegis.gateway.policy.Tier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Keeps API keys, their hourly usage and their audit trail in PostgreSQL (9.5 or newer) through
 * any {@link DataSource}; pass a pooled one in production (HikariCP, Agroal, the container's).
 *
 * <p>The schema ships in this jar ({@code META-INF/aegis/db/api-keys/V1__api_keys.sql},
 * {@code V2__usage_and_audit.sql}) and is applied on demand: call {@link #migrate()} (or set
 * {@code aegis.apikeys.jdbc.migrate=true}); versions are recorded in {@code aegis_schema_history}.
 * Tables live in the configured schema, or the connection's default one.
 *
 * <p>Every statement has a timeout (default 2 s). Failures surface as {@link ApiKeyStoreException}.
 * Thread-safe (a connection per call).
 */
public final class JdbcApiKeyStore implements ApiKeyStore {

    /** The name under which migrations of this store are recorded. */
    public static final String COMPONENT = "api-keys";
    private static final List<SchemaMigrator.Migration> MIGRATIONS = List.of(
            new SchemaMigrator.Migration(1, "api keys", "META-INF/aegis/db/api-keys/V1__api_keys.sql"),
            new SchemaMigrator.Migration(2, "usage and audit", "META-INF/aegis/db/api-keys/V2__usage_and_audit.sql"));
    private static final String COLUMNS = "id, key_hash, environment, name, owner, tenant, tier, scopes, hint, status, "
            + "created_at, expires_at, grace_until, replaced_by, revoked_at, last_used_at";

    private final DataSource dataSource;
    private final String schema;
    private final int timeoutSeconds;
    private final SchemaMigrator migrator;
    private final String keys;
    private final String usage;
    private final String audit;
    private final String meta;

    /**
     * @param dataSource where to connect
     * @param schema the schema of the tables (lower-case letters, digits, {@code _}), or {@code null}
     * @param timeout the timeout of each statement (at least 1 s)
     * @throws IllegalArgumentException for a schema name that is not a plain identifier
     */
    public JdbcApiKeyStore(DataSource dataSource, String schema, Duration timeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema: " + schema + " (expected: lower-case letters, digits and '_')");
        }
        this.schema = schema;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        this.migrator = new SchemaMigrator(COMPONENT, MIGRATIONS, schema, timeoutSeconds);
        String p = schema == null ? "" : schema + ".";
        this.keys = p + "aegis_api_keys";
        this.usage = p + "aegis_api_key_usage";
        this.audit = p + "aegis_api_key_audit";
        this.meta = p + "aegis_api_key_meta";
    }

    /** The schema, or {@code null}. */
    public String schema() {
        return schema;
    }

    /**
     * Applies the schema versions not applied yet (idempotent; safe to run from several replicas
     * at once: they serialize on an advisory lock).
     *
     * @return the versions applied by this call
     * @throws ApiKeyStoreException when the database fails (nothing is applied then) or an applied
     *     script was changed since
     */
    public List<Integer> migrate() {
        try (Connection c = dataSource.getConnection()) {
            return migrator.migrate(c);
        } catch (SQLException | IllegalStateException e) {
            throw new ApiKeyStoreException("migrating the API-key schema failed: " + e.getMessage(), e);
        }
    }

    /** The schema version in the database (0 before the first migration). */
    public int schemaVersion() {
        try (Connection c = dataSource.getConnection()) {
            return migrator.current(c);
        } catch (SQLException e) {
            throw fail("reading the schema version", e);
        }
    }

    /** The schema version this library needs. */
    public int requiredSchemaVersion() {
        return migrator.latest();
    }

    /**
     * Records the pepper fingerprint on first use, and refuses a different one later: keys hashed
     * with another pepper could never be found again.
     *
     * @throws IllegalStateException when the store's keys were hashed with another pepper
     * @throws ApiKeyStoreException when the database fails
     */
    public void verifyPepper(String fingerprint) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + meta
                    + " (name, value) VALUES ('pepper-fingerprint', ?) ON CONFLICT (name) DO NOTHING")) {
                st.setQueryTimeout(timeoutSeconds);
                st.setString(1, fingerprint);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("SELECT value FROM " + meta + " WHERE name = 'pepper-fingerprint'")) {
                st.setQueryTimeout(timeoutSeconds);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && !rs.getString(1).equals(fingerprint)) {
                        throw new IllegalStateException("the configured API-key pepper is not the one the keys in "
                                + keys + " were hashed with (fingerprint " + fingerprint + ", store " + rs.getString(1)
                                + "): every key would be unknown; configure the original pepper");
                    }
                }
            }
        } catch (SQLException e) {
            throw fail("checking the pepper fingerprint", e);
        }
    }

    @Override
    public void create(StoredApiKey key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO " + keys + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setQueryTimeout(timeoutSeconds);
            bind(st, key);
            st.executeUpdate();
        } catch (SQLException e) {
            throw fail("creating key " + key.key().id(), e);
        }
    }

    @Override
    public Optional<StoredApiKey> findByHash(byte[] hash) {
        Optional<StoredApiKey> found = queryOne("SELECT " + COLUMNS + " FROM " + keys + " WHERE key_hash = ?", hash);
        // The index found the row; the comparison that decides is constant-time.
        return found.filter(k -> ApiKeyHasher.matches(k.hash(), hash));
    }

    @Override
    public Optional<StoredApiKey> findById(String id) {
        return queryOne("SELECT " + COLUMNS + " FROM " + keys + " WHERE id = ?", id);
    }

    private Optional<StoredApiKey> queryOne(String sql, Object arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setObject(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw fail("looking up a key", e);
        }
    }

    @Override
    public List<StoredApiKey> list(ApiKeyFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + keys + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.owner() != null) {
            sql.append(" AND owner = ?");
            args.add(filter.owner());
        }
        if (filter.tenant() != null) {
            sql.append(" AND tenant = ?");
            args.add(filter.tenant());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().name());
        }
        sql.append(" ORDER BY created_at DESC, id LIMIT ").append(filter.limit());
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
            st.setQueryTimeout(timeoutSeconds);
            for (int i = 0; i < args.size(); i++) {
                st.setObject(i + 1, args.get(i));
            }
            List<StoredApiKey> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail("listing keys", e);
        }
    }

    @Override
    public boolean rotate(String id, StoredApiKey successor, Instant graceUntil) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int changed;
                try (PreparedStatement st = c.prepareStatement("UPDATE " + keys
                        + " SET status = 'ROTATED', grace_until = ?, replaced_by = ? WHERE id = ? AND status = 'ACTIVE'")) {
                    st.setQueryTimeout(timeoutSeconds);
                    time(st, 1, graceUntil);
                    st.setString(2, successor.key().id());
                    st.setString(3, id);
                    changed = st.executeUpdate();
                }
                if (changed == 0) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO " + keys + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    st.setQueryTimeout(timeoutSeconds);
                    bind(st, successor);
                    st.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw fail("rotating key " + id, e);
        }
    }

    @Override
    public boolean revoke(String id, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement("UPDATE " + keys
                + " SET status = 'REVOKED', revoked_at = ? WHERE id = ? AND status <> 'REVOKED'")) {
            st.setQueryTimeout(timeoutSeconds);
            time(st, 1, at);
            st.setString(2, id);
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw fail("revoking key " + id, e);
        }
    }

    @Override
    public void recordUsage(List<ApiKeyUsage> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // A fixed order keeps two replicas flushing the same rows from deadlocking each other.
        List<ApiKeyUsage> rows = new ArrayList<>(batch);
        rows.sort(Comparator.comparing(ApiKeyUsage::keyId).thenComparing(ApiKeyUsage::periodStart)
                .thenComparing(ApiKeyUsage::route).thenComparing(ApiKeyUsage::version));
        Map<String, Instant> lastUsed = new TreeMap<>();
        for (ApiKeyUsage u : rows) {
            lastUsed.merge(u.keyId(), u.lastUsedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO " + usage
                        + " AS u (key_id, period_start, route, version, requests, errors, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (key_id, period_start, route, version) DO UPDATE SET"
                        + " requests = u.requests + EXCLUDED.requests, errors = u.errors + EXCLUDED.errors,"
                        + " last_used_at = GREATEST(u.last_used_at, EXCLUDED.last_used_at)")) {
                    st.setQueryTimeout(timeoutSeconds);
                    for (ApiKeyUsage u : rows) {
                        st.setString(1, u.keyId());
                        time(st, 2, u.periodStart());
                        st.setString(3, truncate(u.route(), 300));
                        st.setString(4, truncate(u.version(), 64));
                        st.setLong(5, u.requests());
                        st.setLong(6, u.errors());
                        time(st, 7, u.lastUsedAt());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                try (PreparedStatement st = c.prepareStatement("UPDATE " + keys + " SET last_used_at = ? WHERE id = ?"
                        + " AND (last_used_at IS NULL OR last_used_at < ?)")) {
                    st.setQueryTimeout(timeoutSeconds);
                    for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
                        time(st, 1, e.getValue());
                        st.setString(2, e.getKey());
                        time(st, 3, e.getValue());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw fail("recording usage of " + rows.size() + " rows", e);
        }
    }

    @Override
    public List<ApiKeyUsage> usage(String keyId, Instant from, Instant to) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT key_id, period_start, route, version, requests, errors, last_used_at FROM " + usage
                        + " WHERE key_id = ? AND period_start >= ? AND period_start < ? ORDER BY period_start, route, version")) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, keyId);
            time(st, 2, from);
            time(st, 3, to);
            List<ApiKeyUsage> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKeyUsage(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), instant(rs, 7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail("reading usage of " + keyId, e);
        }
    }

    @Override
    public void appendAudit(ApiKeyAuditRecord entry) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO " + audit + " (key_id, action, actor, at, detail) VALUES (?, ?, ?, ?, ?)")) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, entry.keyId());
            st.setString(2, entry.action());
            st.setString(3, truncate(entry.actor(), 200));
            time(st, 4, entry.at());
            st.setString(5, entry.detail());
            st.executeUpdate();
        } catch (SQLException e) {
            throw fail("writing the audit trail of " + entry.keyId(), e);
        }
    }

    @Override
    public List<ApiKeyAuditRecord> audit(String keyId, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT key_id, action, actor, at, detail FROM " + audit + " WHERE key_id = ? ORDER BY seq DESC LIMIT ?")) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, keyId);
            st.setInt(2, Math.max(1, Math.min(limit, 10_000)));
            List<ApiKeyAuditRecord> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKeyAuditRecord(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                            rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail("reading the audit trail of " + keyId, e);
        }
    }

    @Override
    public boolean healthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    private void bind(PreparedStatement st, StoredApiKey s) throws SQLException {
        ApiKey k = s.key();
        st.setString(1, k.id());
        st.setBytes(2, s.hash());
        st.setString(3, k.environment().id());
        st.setString(4, k.name());
        st.setString(5, k.owner());
        st.setString(6, k.tenant());
        st.setString(7, k.tier().id());
        st.setString(8, String.join(" ", k.scopes().stream().sorted().toList()));
        st.setString(9, k.hint());
        st.setString(10, k.status().name());
        time(st, 11, k.createdAt());
        time(st, 12, k.expiresAt());
        time(st, 13, k.graceUntil());
        st.setString(14, k.replacedBy());
        time(st, 15, k.revokedAt());
        time(st, 16, k.lastUsedAt());
    }

    private static StoredApiKey read(ResultSet rs) throws SQLException {
        String scopes = rs.getString(8);
        Set<String> set = scopes == null || scopes.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scopes.split(" ")));
        ApiKey k = new ApiKey(rs.getString(1), ApiKeyFormat.Environment.parse(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), Tier.parseOr(rs.getString(7), Tier.FREE), set, rs.getString(9),
                ApiKeyStatus.valueOf(rs.getString(10)), instant(rs, 11), instant(rs, 12), instant(rs, 13),
                rs.getString(14), instant(rs, 15), instant(rs, 16));
        return new StoredApiKey(k, rs.getBytes(2));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void time(PreparedStatement st, int index, Instant i) throws SQLException {
        if (i == null) {
            st.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            st.setObject(index, i.atOffset(ZoneOffset.UTC));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private ApiKeyStoreException fail(String what, SQLException e) {
        return new ApiKeyStoreException(what + " failed in " + keys + ": SQLState " + e.getSQLState() + ", " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "JdbcApiKeyStore[" + keys + "]";
    }
}
