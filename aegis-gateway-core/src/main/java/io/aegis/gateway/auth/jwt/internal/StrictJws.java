package io.aegis.gateway.auth.jwt.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A JWS in compact serialization, parsed strictly before any library sees it. It closes the gaps
 * that JJWT leaves open:
 * <ul>
 *   <li>base64url exactly as RFC 7515 §2 defines it: the URL-safe alphabet, no padding, no
 *       white space, and canonical (unused trailing bits zero);</li>
 *   <li>header and payload valid UTF-8 (RFC 8725 §3.7: reject, never replace with U+FFFD);</li>
 *   <li>header and payload each one JSON object with no duplicate member names and nothing after it.</li>
 * </ul>
 * Construction throws {@link Malformed} with a reason meant for logs, never for clients.
 */
public final class StrictJws {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(16_384).maxNumberLength(64).build());
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final String token;
    private final int firstDot;
    private final int secondDot;
    private final Map<String, Object> header;
    private final Map<String, Object> claims;

    private StrictJws(String token, int firstDot, int secondDot, Map<String, Object> header,
                      Map<String, Object> claims) {
        this.token = token;
        this.firstDot = firstDot;
        this.secondDot = secondDot;
        this.header = header;
        this.claims = claims;
    }

    /**
     * Parses a compact JWS.
     *
     * @throws Malformed when the token is not a strictly well-formed JWS
     */
    public static StrictJws parse(String token) throws Malformed {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new Malformed("not three dot-separated parts");
        }
        if (second == first + 1) {
            throw new Malformed("empty payload");
        }
        if (second == token.length() - 1) {
            throw new Malformed("empty signature");
        }
        checkBase64Url(token, 0, first, "header");
        checkBase64Url(token, first + 1, second, "payload");
        checkBase64Url(token, second + 1, token.length(), "signature");
        Map<String, Object> header = json(decode(token, 0, first), "header");
        Map<String, Object> claims = json(decode(token, first + 1, second), "payload");
        return new StrictJws(token, first, second, header, claims);
    }

    /** Checks that {@code s[from, to)} is canonical unpadded base64url. */
    static void checkBase64Url(String s, int from, int to, String part) throws Malformed {
        int len = to - from;
        if (len == 0) {
            throw new Malformed(part + " is empty");
        }
        if (len % 4 == 1) {
            throw new Malformed(part + " has an impossible base64url length");
        }
        for (int i = from; i < to; i++) {
            if (value(s.charAt(i)) < 0) {
                throw new Malformed(part + " has a character outside the base64url alphabet at " + (i - from));
            }
        }
        int last = value(s.charAt(to - 1));
        if (len % 4 == 2 && (last & 0x0F) != 0 || len % 4 == 3 && (last & 0x03) != 0) {
            throw new Malformed(part + " is not canonical base64url (non-zero trailing bits)");
        }
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '-') {
            return 62;
        }
        if (c == '_') {
            return 63;
        }
        return -1;
    }

    private static byte[] decode(String s, int from, int to) {
        return Base64.getUrlDecoder().decode(s.substring(from, to));
    }

    private static Map<String, Object> json(byte[] bytes, String part) throws Malformed {
        String text;
        try {
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer cb = dec.decode(ByteBuffer.wrap(bytes));
            text = cb.toString();
        } catch (CharacterCodingException e) {
            throw new Malformed(part + " is not valid UTF-8");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.charAt(0) != '{') {
            throw new Malformed(part + " is not a JSON object");
        }
        try {
            return JSON.readValue(text, MAP);
        } catch (Exception e) {
            throw new Malformed(part + " is not strict JSON: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null && e.getMessage().contains("Duplicate field") ? " (duplicate member)" : ""));
        }
    }

    /** The token as given. */
    public String token() {
        return token;
    }

    /** The JOSE header members. */
    public Map<String, Object> header() {
        return header;
    }

    /** The claims of the payload. */
    public Map<String, Object> claims() {
        return claims;
    }

    /** The signature part, still base64url-encoded. */
    public String encodedSignature() {
        return token.substring(secondDot + 1);
    }

    /** The {@code alg} header, or {@code null} when absent or not a string. */
    public String algorithm() {
        return header.get("alg") instanceof String s ? s : null;
    }

    /** The {@code kid} header, or {@code null} when absent or not a string. */
    public String keyId() {
        return header.get("kid") instanceof String s ? s : null;
    }

    /** Start of the payload; used by callers that need the signing input. */
    public int firstDot() {
        return firstDot;
    }

    /** A token that is not a strictly well-formed JWS. The reason is for logs, never for clients. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String reason) {
            super(reason, null, false, false);
        }
    }
}
