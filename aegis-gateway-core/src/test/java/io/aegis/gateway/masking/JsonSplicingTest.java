package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A document held in memory is masked by splicing: every byte but the masked values stays. Checked
 * against the streaming path (parser to generator), which must give the same values, on hand-made
 * cases and on generated documents with random whitespace, escapes, nesting and non-ASCII text.
 */
class JsonSplicingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonMasker FIELDS = JsonMasker.of(MaskingPolicy.builder().fields(List.of("email", "phone", "secret"))
            .paths(List.of("$.items[1].card", "$..pin")).build());
    private static final JsonMasker DETECTORS = JsonMasker.of(MaskingPolicy.builder().fields(List.of("email"))
            .detectors(Detector.EMAIL, Detector.PHONE, Detector.RESIDENT_ID, Detector.CARD, Detector.JWT).build());

    @Test
    void whitespaceEscapesAndNumbersOfUnmaskedValuesStayByteForByte() {
        String doc = "{\n  \"name\" : \"Se\\u00e1n \\\"O'Brien\\\"\",\t\"path\":\"a\\/b\",\n"
                + "  \"score\": 1.50e+3, \"email\" :  \"sean.obrien@example.ie\" ,\n"
                + "  \"list\": [ 1 ,2, {\"phone\":\"010-2345-6789\"} ] }\n";
        assertThat(FIELDS.mask(doc)).isEqualTo("{\n  \"name\" : \"Se\\u00e1n \\\"O'Brien\\\"\",\t\"path\":\"a\\/b\",\n"
                + "  \"score\": 1.50e+3, \"email\" :  \"s***.o*****@example.ie\" ,\n"
                + "  \"list\": [ 1 ,2, {\"phone\":\"010-****-6789\"} ] }\n");
    }

    @Test
    void maskedValuesWithEscapesNumbersContainersAndPaths() throws IOException {
        String doc = "{\"email\":\"a\\u0040b.io\",\"secret\":{\"k\":[\"x\\\"y\",42,-1.5e3,true,null]},"
                + "\"items\":[{\"card\":\"4111 1111 1111 1111\"},{\"card\":\"4111 1111 1111 1111\"}],"
                + "\"deep\":{\"pin\":1234},\"phone\":\"\\ud800\"}";
        String masked = FIELDS.mask(doc);
        assertThat(masked).contains("\"email\":\"*@b.io\"")
                .contains("\"k\":[\"*\\\"*\",\"**\",\"-*.***\",true,null]")
                .contains("{\"card\":\"4111 1111 1111 1111\"},{\"card\":\"**** **** **** 1111\"}")
                .contains("\"pin\":\"1***\"")
                .doesNotContain("a\\u0040b.io");
        assertThat(MAPPER.readTree(masked)).isEqualTo(MAPPER.readTree(streamed(FIELDS, doc)));
    }

    @Test
    void detectorsRewriteOnlyTheStringsTheyFindSomethingIn() {
        String doc = "{ \"bio\" : \"김민준 010-2345-6789, 메일 minjun.kim@example.kr 😀\", \"plain\" : \"안녕\\n하세요\" }";
        assertThat(DETECTORS.mask(doc))
                .isEqualTo("{ \"bio\" : \"김민준 010-****-6789, 메일 m*****.k**@example.kr 😀\", \"plain\" : \"안녕\\n하세요\" }");
    }

    @Test
    void controlCharactersAndLoneSurrogatesInAReplacementAreEscaped() throws IOException {
        String doc = "{\"bio\":\"\\u0001\\t010-2345-6789 \\ud83d \\\"q\\\" \\\\ \\u2028\"}";
        String masked = DETECTORS.mask(doc);
        JsonNode back = MAPPER.readTree(masked);
        assertThat(back.get("bio").asText()).isEqualTo("\u0001\t010-****-6789 \ud83d \"q\" \\ \u2028");
        assertThat(masked).doesNotContain("\t").contains("\\u0001").contains("\\u0009").contains("\\ud83d");
    }

    @Test
    void aByteOrderMarkAndJsonLinesStayWhereTheyAre() throws IOException {
        byte[] doc = ("\uFEFF{\"email\":\"a@b.io\"}\r\n {\"n\":1}\n\"x\"\n[{\"phone\":\"010-2345-6789\"}]")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new String(FIELDS.mask(doc), StandardCharsets.UTF_8))
                .isEqualTo("\uFEFF{\"email\":\"*@b.io\"}\r\n {\"n\":1}\n\"x\"\n[{\"phone\":\"010-****-6789\"}]");
    }

    @Test
    void utf16DocumentsTakeTheStreamingPath() throws IOException {
        byte[] utf16 = "{\"email\":\"a@b.io\"}".getBytes(StandardCharsets.UTF_16BE);
        assertThat(new String(FIELDS.mask(utf16), StandardCharsets.UTF_8)).isEqualTo("{\"email\":\"*@b.io\"}");
    }

    @Test
    void invalidDocumentsAreRefusedWhole() {
        for (String bad : new String[] {"{\"email\":\"a@b.io\"", "{\"email\":\"a@b.io\"}}", "[1,]", "{\"a\":tru}",
            "\"unterminated", "{\"email\":\"a\u0001\"}", "[\"\\x\"]"}) {
            assertThatThrownBy(() -> FIELDS.mask(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(IOException.class);
        }
    }

    /**
     * Ill-formed UTF-8 that Jackson would decode into other characters than a lenient client (an
     * overlong 'a' inside a member name, an overlong '@' inside an e-mail) is refused, not passed on.
     */
    @Test
    void illFormedUtf8IsRefusedBeforeAnythingIsWritten() throws IOException {
        byte[][] hostile = {
            bytes("{\"email\":\"x\",\"em", 0xF0, 0x80, 0x81, 0xA1, "il\":\"LEAK\"}"),
            bytes("{\"note\":\"alice", 0xF0, 0x80, 0x81, 0x80, "example.com\"}"),
            bytes("{\"a\":\"", 0xC0, 0xAF, "\"}"), bytes("{\"a\":\"", 0xC1, 0xA1, "\"}"),
            bytes("{\"a\":\"", 0xE0, 0x81, 0xA1, "\"}"), bytes("{\"a\":\"", 0xF4, 0x90, 0x80, 0x80, "\"}"),
            bytes("{\"a\":\"", 0xED, 0xA0, 0x80, "\"}"), bytes("{\"a\":\"", 0xF5, 0x80, 0x80, 0x80, "\"}"),
        };
        for (byte[] doc : hostile) {
            assertThatThrownBy(() -> DETECTORS.mask(doc)).isInstanceOf(IOException.class);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MaskingOutputStream s = DETECTORS.stream(out);
            s.write(doc);
            assertThatThrownBy(s::finish).isInstanceOf(IOException.class);
            assertThat(out.size()).isZero();
        }
    }

    @Test
    void wellFormedUtf8TableAtEveryAlignment() {
        Object[][] cases = {
            {true, new int[] {0x41}}, {true, new int[] {0xC3, 0xA9}}, {true, new int[] {0xED, 0x95, 0x9C}},
            {true, new int[] {0xEF, 0xBF, 0xBF}}, {true, new int[] {0xF0, 0x9F, 0x98, 0x80}}, {true, new int[] {0xF4, 0x8F, 0xBF, 0xBF}},
            {false, new int[] {0x80}}, {false, new int[] {0xBF}}, {false, new int[] {0xC0, 0x80}}, {false, new int[] {0xC1, 0xBF}},
            {false, new int[] {0xC3}}, {false, new int[] {0xC3, 0x41}}, {false, new int[] {0xE0, 0x9F, 0xBF}},
            {false, new int[] {0xED, 0xA0, 0x80}}, {false, new int[] {0xED, 0xBF, 0xBF}}, {false, new int[] {0xE2, 0x82}},
            {false, new int[] {0xF0, 0x8F, 0xBF, 0xBF}}, {false, new int[] {0xF4, 0x90, 0x80, 0x80}},
            {false, new int[] {0xF0, 0x9F, 0x98}}, {false, new int[] {0xF8, 0x88, 0x80, 0x80, 0x80}}, {false, new int[] {0xFF}},
        };
        for (Object[] c : cases) {
            int[] seq = (int[]) c[1];
            for (int at = 0; at < 17; at++) {
                byte[] b = new byte[at + seq.length + 9];
                java.util.Arrays.fill(b, (byte) 'a');
                for (int k = 0; k < seq.length; k++) {
                    b[at + k] = (byte) seq[k];
                }
                assertThat(io.aegis.gateway.masking.internal.JsonSplicer.wellFormed(b, b.length))
                        .as(java.util.Arrays.toString(seq) + " at " + at).isEqualTo(c[0]);
                byte[] atEnd = java.util.Arrays.copyOf(b, at + seq.length); // the sequence ends the input
                assertThat(io.aegis.gateway.masking.internal.JsonSplicer.wellFormed(atEnd, atEnd.length))
                        .as(java.util.Arrays.toString(seq) + " at the end, " + at).isEqualTo(c[0]);
            }
        }
    }

    @Test
    void stringsThatAreNotJsonTextAreRefused() {
        assertThatThrownBy(() -> FIELDS.mask("{\u0000\"\u0000e\u0000m\u0000a\u0000i\u0000l\u0000\"\u0000:\u0000\"LEAK\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FIELDS.mask("{\"email\":\"a\ud800b\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    /** Generated documents: the spliced result has the same values as the streamed (re-serialised) one. */
    @Test
    void splicingAndStreamingAgreeOnGeneratedDocuments() throws IOException {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            value(sb, random, 0);
            String doc = sb.toString();
            for (JsonMasker m : new JsonMasker[] {FIELDS, DETECTORS}) {
                byte[] spliced = m.mask(doc.getBytes(StandardCharsets.UTF_8));
                JsonNode a = MAPPER.readTree(spliced);
                JsonNode b = MAPPER.readTree(streamed(m, doc));
                assertThat(a).as(doc).isEqualTo(b);
            }
        }
    }

    private static String streamed(JsonMasker m, String doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.mask(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final String[] NAMES = {"email", "phone", "secret", "items", "card", "pin", "bio", "n", "EMAIL", "이메일"};
    private static final String[] TEXTS = {"minjun.kim@example.kr", "010-2345-6789", "+82 10 9876 5432", "850101-1234567",
        "4111-1111-1111-1111", "plain words", "김민준", "a\"quote", "back\\slash", "tab\there", "😀 emoji", "", " ",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl", "O'Brien; DROP", "\u0001ctl", "é/ü"};

    private static void value(StringBuilder sb, SplittableRandom r, int depth) {
        int kind = depth > 4 ? 3 + r.nextInt(4) : r.nextInt(7);
        switch (kind) {
            case 0, 1 -> {
                sb.append('{');
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    ws(sb, r).append(k == 0 ? "" : ",");
                    ws(sb, r);
                    string(sb, r, NAMES[r.nextInt(NAMES.length)]);
                    ws(sb, r).append(':');
                    ws(sb, r);
                    value(sb, r, depth + 1);
                }
                ws(sb, r).append('}');
            }
            case 2 -> {
                sb.append('[');
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    ws(sb, r).append(k == 0 ? "" : ",");
                    value(sb, r, depth + 1);
                }
                ws(sb, r).append(']');
            }
            case 3, 4 -> string(sb, r, TEXTS[r.nextInt(TEXTS.length)]);
            case 5 -> sb.append(new String[] {"0", "-12", "1.50", "3e7", "-0.25E-2", "123456789012345678901"}[r.nextInt(6)]);
            default -> sb.append(new String[] {"true", "false", "null"}[r.nextInt(3)]);
        }
    }

    /** A JSON string of {@code s}, each character escaped or not at random. */
    private static void string(StringBuilder sb, SplittableRandom r, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || r.nextInt(8) == 0) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static StringBuilder ws(StringBuilder sb, SplittableRandom r) {
        int n = r.nextInt(3) == 0 ? r.nextInt(3) : 0;
        for (int i = 0; i < n; i++) {
            sb.append(" \n\t\r".charAt(r.nextInt(4)));
        }
        return sb;
    }
}
