package io.aegis.gateway.ratelimit;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who a limit or quota counts: {@code t:<tenant>}, {@code u:<subject>}, {@code k:<api key id>} or
 * {@code ip:<address>}, falling back to the broader identity when the asked one is missing
 * (tenant → subject → address; API key → address). Raw API keys are never kept: a key presented
 * in the header is counted by the first 128 bits of its SHA-256.
 */
public final class CallerKey {

    private CallerKey() {
    }

    /** The caller key of an exchange for a key kind. */
    public static String of(RateLimitKey kind, Exchange ex, String apiKeyHeader) {
        Principal p = ex.principal();
        if (kind == RateLimitKey.TENANT && p != null && p.tenant() != null) {
            return tenant(p.tenant());
        }
        if ((kind == RateLimitKey.TENANT || kind == RateLimitKey.USER) && p != null) {
            return user(p.subject());
        }
        if (kind == RateLimitKey.API_KEY) {
            if (p != null && p.scheme() == AuthScheme.API_KEY && p.credentialId() != null) {
                return apiKey(p.credentialId());
            }
            String apiKey = ex.request().header(apiKeyHeader);
            if (apiKey != null && !apiKey.isEmpty()) {
                return apiKey(digest(apiKey));
            }
        }
        return ip(ex.clientAddress());
    }

    public static String tenant(String tenant) {
        return "t:" + Objects.requireNonNull(tenant, "tenant");
    }

    public static String user(String subject) {
        return "u:" + Objects.requireNonNull(subject, "subject");
    }

    /** @param keyId the API key's id (credential id), or the hashed key as counted from the header */
    public static String apiKey(String keyId) {
        return "k:" + Objects.requireNonNull(keyId, "keyId");
    }

    public static String ip(String address) {
        return "ip:" + Objects.requireNonNull(address, "address");
    }

    /**
     * The caller key for a kind named in an admin call ({@code tenant}, {@code user},
     * {@code api-key}, {@code ip}) and an id.
     *
     * @throws IllegalArgumentException for an unknown kind or a blank id
     */
    public static String parse(String kind, String id) {
        if (id == null || id.isBlank() || id.length() > 256) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: 1 to 256 characters)");
        }
        return switch (kind == null ? "" : kind) {
            case "tenant" -> tenant(id);
            case "user" -> user(id);
            case "api-key" -> apiKey(id);
            case "ip" -> ip(id);
            default -> throw new IllegalArgumentException("kind: '" + kind + "' (expected: tenant, user, api-key or ip)");
        };
    }

    /** The hashed form under which an API key presented in a header is counted. */
    public static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
