package io.aegis.gateway.masking;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A kind of personal data or secret the scanners recognise in free text, with the form its mask
 * takes. Every detector is hand-written, linear in the length of its input, and never throws.
 *
 * <table>
 *   <caption>Detectors and masks</caption>
 *   <tr><th>detector</th><th>recognises</th><th>mask</th></tr>
 *   <tr><td>{@link #EMAIL}</td><td>{@code local@domain.tld}</td><td>{@code m*****.k**@example.kr}</td></tr>
 *   <tr><td>{@link #PHONE}</td><td>Korean mobile and landline numbers, E.164 / {@code +CC} numbers, North American 3-3-4</td><td>{@code 010-****-6789}</td></tr>
 *   <tr><td>{@link #RESIDENT_ID}</td><td>Korean resident registration numbers (주민등록번호)</td><td>{@code 900101-1******}</td></tr>
 *   <tr><td>{@link #CARD}</td><td>payment card numbers (13–19 digits, Luhn)</td><td>{@code ****-****-****-1234}</td></tr>
 *   <tr><td>{@link #BANK_ACCOUNT}</td><td>hyphenated 3–4 digit groups of 10–14 digits (heuristic)</td><td>{@code ***-***-**6789}</td></tr>
 *   <tr><td>{@link #IP}</td><td>IPv4 and IPv6 addresses</td><td>{@code 192.168.*.*}, {@code 2001:db8::*}</td></tr>
 *   <tr><td>{@link #JWT}</td><td>JWS/JWE compact tokens ({@code eyJ…})</td><td>{@code [jwt]}</td></tr>
 *   <tr><td>{@link #SECRET}</td><td>API keys with known prefixes, {@code Bearer}/{@code Basic} credentials,
 *       {@code password=…}-style assignments, PEM private keys</td><td>{@code [secret]}</td></tr>
 *   <tr><td>{@link #HIGH_ENTROPY}</td><td>long random-looking tokens (paranoid; off by default)</td><td>{@code [secret]}</td></tr>
 * </table>
 */
public enum Detector {
    /** E-mail addresses. */
    EMAIL("email"),
    /** Phone numbers: Korean formats, {@code +} international (E.164) numbers, North American 3-3-4. */
    PHONE("phone"),
    /** Korean resident registration numbers ({@code YYMMDD-GNNNNNN}). */
    RESIDENT_ID("resident-id"),
    /** Payment card numbers: 13 to 19 digits, valid Luhn check digit, a known network's first digit. */
    CARD("card"),
    /** Bank-account-like numbers: 3 or 4 hyphenated digit groups, 10 to 14 digits (a heuristic). */
    BANK_ACCOUNT("bank-account"),
    /** IPv4 and IPv6 addresses. */
    IP("ip"),
    /** JSON Web Tokens in compact form. */
    JWT("jwt"),
    /** API keys, bearer and basic credentials, password assignments, private keys. */
    SECRET("secret"),
    /** Long high-entropy tokens that look like generated secrets (paranoid; false positives likely). */
    HIGH_ENTROPY("high-entropy");

    private static final Set<Detector> DEFAULTS = java.util.Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(HIGH_ENTROPY)));

    private final String id;

    Detector(String id) {
        this.id = id;
    }

    /** The identifier used in configuration, e.g. {@code resident-id}. */
    public String id() {
        return id;
    }

    /** Every detector except {@link #HIGH_ENTROPY}: what the log sanitizer uses by default. */
    public static Set<Detector> defaults() {
        return DEFAULTS;
    }

    /**
     * The detector with this identifier (case-insensitive; {@code _} and {@code -} are the same).
     *
     * @throws IllegalArgumentException naming the value and the known identifiers
     */
    public static Detector parse(String id) {
        String v = id == null ? "" : id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Detector d : values()) {
            if (d.id.equals(v)) {
                return d;
            }
        }
        throw new IllegalArgumentException("detector: '" + id + "' (expected: one of " + ids() + ")");
    }

    /** Parses a list of identifiers; {@code all} stands for every detector, {@code defaults} for {@link #defaults()}. */
    public static Set<Detector> parseAll(List<String> ids) {
        Set<Detector> out = EnumSet.noneOf(Detector.class);
        for (String s : ids) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (v.equals("all")) {
                out.addAll(EnumSet.allOf(Detector.class));
            } else if (v.equals("defaults")) {
                out.addAll(DEFAULTS);
            } else if (!v.isEmpty()) {
                out.add(parse(v));
            }
        }
        return out;
    }

    private static String ids() {
        StringBuilder sb = new StringBuilder();
        for (Detector d : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.id);
        }
        return sb.append(", all, defaults").toString();
    }
}
