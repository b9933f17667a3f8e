package io.aegis.gateway.apikey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes API keys for storage: HMAC-SHA-256 keyed with a server-side pepper. Stores hold only
 * these hashes, so a copy of the database alone does not let anyone use or even test a key: the
 * pepper lives in configuration or a secret file, never beside the hashes.
 *
 * <p>Keys carry about 190 random bits, so a fast keyed hash is enough (slow password hashes protect
 * guessable secrets). Hashes are compared with {@link MessageDigest#isEqual} (constant time).
 *
 * <p>Thread-safe.
 */
public final class ApiKeyHasher {

    /** The shortest pepper accepted, in bytes. */
    public static final int MIN_PEPPER_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec pepper;
    private final ThreadLocal<Mac> macs;

    /**
     * @param pepper the secret, at least {@value #MIN_PEPPER_BYTES} bytes (copied)
     * @throws IllegalArgumentException when it is shorter
     */
    public ApiKeyHasher(byte[] pepper) {
        Objects.requireNonNull(pepper, "pepper");
        if (pepper.length < MIN_PEPPER_BYTES) {
            throw new IllegalArgumentException("pepper: " + pepper.length + " bytes (expected: at least "
                    + MIN_PEPPER_BYTES + " random bytes)");
        }
        this.pepper = new SecretKeySpec(Arrays.copyOf(pepper, pepper.length), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(pepper);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /** The 32-byte hash of a key. */
    public byte[] hash(String key) {
        Mac mac = macs.get();
        return mac.doFinal(key.getBytes(StandardCharsets.US_ASCII));
    }

    /** The hash in lower-case hex (cache keys, messages). */
    public String hashHex(String key) {
        return HexFormat.of().formatHex(hash(key));
    }

    /**
     * A fingerprint of the pepper (an HMAC of a fixed text), safe to store: a store remembers it so
     * that starting with another pepper, which would make every key unknown, is detected.
     */
    public String pepperFingerprint() {
        return HexFormat.of().formatHex(macs.get().doFinal("aegis-api-key-pepper-check".getBytes(StandardCharsets.US_ASCII)), 0, 8);
    }

    /** Compares two hashes in constant time. */
    public static boolean matches(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    @Override
    public String toString() {
        return "ApiKeyHasher[HMAC-SHA-256, pepper ****]";
    }
}
