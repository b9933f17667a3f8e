package io.aegis.gateway.apikey;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * The format of Aegis API keys: {@code aegis_live_} or {@code aegis_test_}, 32 random base62
 * characters (about 190 bits), then 6 base62 characters of a CRC32 checksum over everything before
 * them, 49 characters in all, e.g. {@code aegis_test_3QxkV0f9…Zp4Rq1}.
 *
 * <p>The fixed prefix lets secret scanners find leaked keys; the checksum rejects typos and random
 * guesses before any lookup (a store is never asked about a string that is not a well-formed key).
 * Parsing is strict: ASCII only, no whitespace inside, exact length, known prefix, valid checksum.
 * The header value is trimmed of spaces and tabs around it, as HTTP allows, and nothing else.
 *
 * <p>Stateless and thread-safe.
 */
public final class ApiKeyFormat {

    /** The product prefix every key starts with. */
    public static final String PREFIX = "aegis_";
    /** Random characters per key. */
    public static final int BODY_LENGTH = 32;
    /** Checksum characters per key. */
    public static final int CHECKSUM_LENGTH = 6;
    /** The length of every key. */
    public static final int LENGTH = PREFIX.length() + 5 + BODY_LENGTH + CHECKSUM_LENGTH;
    /** Longer header values are refused without being looked at. */
    public static final int MAX_INPUT = 256;

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which kind of deployment a key belongs to; a live gateway refuses test keys and the reverse. */
    public enum Environment {
        /** Production keys: {@code aegis_live_}. */
        LIVE,
        /** Development and staging keys: {@code aegis_test_}. */
        TEST;

        /** {@code aegis_live_} or {@code aegis_test_}. */
        public String prefix() {
            return PREFIX + id() + "_";
        }

        /** {@code live} or {@code test}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses {@code live} or {@code test}, ignoring case.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Environment parse(String value) {
            for (Environment e : values()) {
                if (e.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("environment: " + value + " (expected: live or test)");
        }
    }

    /** Why a presented value is not a key. Descriptions are written for clients and never echo the value. */
    public enum Failure {
        /** Longer than {@link #MAX_INPUT}. */
        TOO_LONG("The API key is too long"),
        /** Empty, wrong length, or characters outside base62 and {@code _} (whitespace, non-ASCII look-alikes). */
        MALFORMED("The API key is malformed"),
        /** Not an Aegis key (another product's key, or a token in the wrong header). */
        WRONG_PREFIX("The value is not an Aegis API key"),
        /** The checksum does not match: a typo or a made-up key. */
        BAD_CHECKSUM("The API key checksum is invalid");

        private final String description;

        Failure(String description) {
            this.description = description;
        }

        /** A fixed text for the client. */
        public String description() {
            return description;
        }
    }

    /**
     * The outcome of {@link #parse(String)}: a well-formed key of an environment, or why not.
     *
     * @param key the key, trimmed, when well-formed, else {@code null}
     * @param environment the key's environment when well-formed, else {@code null}
     * @param failure why the value is not a key, or {@code null}
     */
    public record Parsed(String key, Environment environment, Failure failure) {
        /** {@code true} when the value is a well-formed key. */
        public boolean ok() {
            return failure == null;
        }

        @Override
        public String toString() {
            return ok() ? "Parsed[" + hint(key) + "]" : "Parsed[" + failure + "]";
        }
    }

    private ApiKeyFormat() {
    }

    /** A new random key of the environment. */
    public static String generate(Environment environment) {
        return generate(environment, RANDOM);
    }

    /** A new key from this randomness source (tests pass a seeded one). */
    public static String generate(Environment environment, SecureRandom random) {
        Objects.requireNonNull(environment, "environment");
        StringBuilder sb = new StringBuilder(LENGTH).append(environment.prefix());
        for (int i = 0; i < BODY_LENGTH; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        appendChecksum(sb);
        return sb.toString();
    }

    /** Parses a presented value strictly. Never throws. */
    public static Parsed parse(String value) {
        if (value == null) {
            return new Parsed(null, null, Failure.MALFORMED);
        }
        if (value.length() > MAX_INPUT) {
            return new Parsed(null, null, Failure.TOO_LONG);
        }
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (!(c == '_' || digit(c) >= 0)) {
                return new Parsed(null, null, Failure.MALFORMED);
            }
        }
        Environment env = null;
        for (Environment e : Environment.values()) {
            if (value.startsWith(e.prefix(), start)) {
                env = e;
            }
        }
        if (env == null) {
            return new Parsed(null, null, end - start == 0 ? Failure.MALFORMED : Failure.WRONG_PREFIX);
        }
        if (end - start != LENGTH) {
            return new Parsed(null, null, Failure.MALFORMED);
        }
        String key = value.substring(start, end);
        int bodyStart = env.prefix().length();
        for (int i = bodyStart; i < LENGTH; i++) {
            if (key.charAt(i) == '_') {
                return new Parsed(null, null, Failure.MALFORMED);
            }
        }
        long expected = crc(key, LENGTH - CHECKSUM_LENGTH);
        long actual = 0;
        for (int i = LENGTH - CHECKSUM_LENGTH; i < LENGTH; i++) {
            actual = actual * ALPHABET.length + digit(key.charAt(i));
        }
        if (actual != expected) {
            return new Parsed(null, null, Failure.BAD_CHECKSUM);
        }
        return new Parsed(key, env, null);
    }

    /**
     * A display form that identifies a key to its owner without revealing it: the prefix and
     * the last four characters, e.g. {@code aegis_live_…Rq1x}.
     */
    public static String hint(String key) {
        if (key == null || key.length() < LENGTH) {
            return "…";
        }
        int p = key.indexOf('_', PREFIX.length());
        return key.substring(0, p + 1) + "…" + key.substring(key.length() - 4);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 36;
        }
        return -1;
    }

    private static long crc(CharSequence s, int length) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < length; i++) {
            crc.update(s.charAt(i)); // ASCII only, checked before
        }
        return crc.getValue();
    }

    private static void appendChecksum(StringBuilder sb) {
        long v = crc(sb, sb.length());
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (v % ALPHABET.length)];
            v /= ALPHABET.length;
        }
        sb.append(out);
    }
}
