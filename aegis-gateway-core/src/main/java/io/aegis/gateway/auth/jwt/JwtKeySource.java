package io.aegis.gateway.auth.jwt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the keys that verify tokens come from: a JWKS endpoint, a JWKS document, PEM public keys
 * or certificates, or (only when configured explicitly) an HMAC secret of at least 256 bits.
 *
 * <p>Immutable and thread-safe.
 */
public final class JwtKeySource {

    /** The kinds of key source. */
    public enum Kind {
        /** A JWKS endpoint, fetched and refreshed. */
        JWKS_URI,
        /** A JWK Set document given once. */
        JWKS_JSON,
        /** PEM public keys or certificates. */
        PEM,
        /** An HMAC secret. */
        SECRET
    }

    private final Kind kind;
    private final URI uri;
    private final String text;
    private final byte[] secret;

    private JwtKeySource(Kind kind, URI uri, String text, byte[] secret) {
        this.kind = kind;
        this.uri = uri;
        this.text = text;
        this.secret = secret;
    }

    /**
     * A JWKS endpoint.
     *
     * @throws IllegalArgumentException unless the URI is absolute http or https
     */
    public static JwtKeySource jwksUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("jwks-uri: " + uri + " (expected: an absolute http or https URI)");
        }
        return new JwtKeySource(Kind.JWKS_URI, uri, null, null);
    }

    /** A JWK Set document. Symmetric keys in it are ignored. */
    public static JwtKeySource jwksJson(String json) {
        return new JwtKeySource(Kind.JWKS_JSON, null, Objects.requireNonNull(json, "json"), null);
    }

    /** One or more PEM {@code PUBLIC KEY} or {@code CERTIFICATE} blocks. */
    public static JwtKeySource pem(String pem) {
        return new JwtKeySource(Kind.PEM, null, Objects.requireNonNull(pem, "pem"), null);
    }

    /**
     * An HMAC secret; HS256 needs 256 bits, HS384 384 and HS512 512 (RFC 7518 §3.2).
     *
     * @throws IllegalArgumentException when the secret is shorter than 256 bits
     */
    public static JwtKeySource secret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret: " + secret.length * 8
                    + " bits (expected: at least 256 bits for HS256)");
        }
        return new JwtKeySource(Kind.SECRET, null, null, secret.clone());
    }

    /** An HMAC secret given as text (its UTF-8 bytes). */
    public static JwtKeySource secret(String secret) {
        return secret(secret.getBytes(StandardCharsets.UTF_8));
    }

    public Kind kind() {
        return kind;
    }

    /** The JWKS endpoint, for {@link Kind#JWKS_URI}. */
    public URI uri() {
        return uri;
    }

    /** The document, for {@link Kind#JWKS_JSON} and {@link Kind#PEM}. */
    public String text() {
        return text;
    }

    /** A copy of the secret, for {@link Kind#SECRET}. */
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JwtKeySource s && s.kind == kind && Objects.equals(s.uri, uri)
                && Objects.equals(s.text, text) && Arrays.equals(s.secret, secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, uri, text) * 31 + Arrays.hashCode(secret);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return switch (kind) {
            case JWKS_URI -> "JwtKeySource[jwks " + uri + "]";
            case JWKS_JSON -> "JwtKeySource[jwks document]";
            case PEM -> "JwtKeySource[pem]";
            case SECRET -> "JwtKeySource[secret, " + secret.length * 8 + " bits]";
        };
    }
}
