package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Streaming JSON masking by name, path and detector. */
class JsonMaskerTest {

    static final String USER = "{\"id\":\"u-1003\",\"name\":\"김민준\",\"email\":\"minjun.kim@example.kr\","
            + "\"phone\":\"010-2345-6789\",\"city\":\"서울\",\"age\":37,\"score\":1.50,\"active\":true,\"note\":null}";

    @Test
    void fieldsByNameAnywhereCaseInsensitive() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email", "PHONE"));
        assertThat(m.mask(USER)).isEqualTo("{\"id\":\"u-1003\",\"name\":\"김민준\",\"email\":\"m*****.k**@example.kr\","
                + "\"phone\":\"010-****-6789\",\"city\":\"서울\",\"age\":37,\"score\":1.50,\"active\":true,\"note\":null}");
        String list = "{\"users\":[" + USER + "," + USER.replace("minjun.kim", "a") + "],\"count\":2}";
        assertThat(m.mask(list)).contains("\"email\":\"m*****.k**@example.kr\"").contains("\"email\":\"*@example.kr\"")
                .doesNotContain("minjun.kim").doesNotContain("2345").endsWith(",\"count\":2}");
    }

    @Test
    void valuesThatAreNotOneFindingGetTheGenericMask() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("name", "age", "address", "tags", "active"));
        assertThat(m.mask(USER)).startsWith("{\"id\":\"u-1003\",\"name\":\"김**\",")
                .contains("\"age\":\"**\"").contains("\"active\":true");
        assertThat(m.mask("{\"address\":{\"street\":\"Main 12\",\"zip\":[1,2]},\"tags\":[\"ab\",\"Seoul\"],\"x\":1}"))
                .isEqualTo("{\"address\":{\"street\":\"M*** **\",\"zip\":[\"*\",\"*\"]},\"tags\":[\"**\",\"S****\"],\"x\":1}");
    }

    @Test
    void valuesMadeOfSymbolsAreMaskedWhole() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("password", "pin"));
        assertThat(m.mask("{\"password\":\"#$%&*+\",\"pin\":\"-.-\"}")).isEqualTo("{\"password\":\"******\",\"pin\":\"***\"}");
        assertThat(m.mask("{\"password\":\"!@ #$ 😀\"}")).isEqualTo("{\"password\":\"** ** *\"}");
        assertThat(m.mask("{\"password\":\"p@ss-w0rd\"}")).isEqualTo("{\"password\":\"p@**-****\"}");
    }

    @Test
    void paths() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.builder().path("$.users[*].email").path("$.owner.phone")
                .path("$..ssn").path("$.meta['secret key']").build());
        String doc = "{\"email\":\"top@example.com\",\"users\":[{\"email\":\"a.b@example.com\",\"phone\":\"010-1111-2222\"}],"
                + "\"owner\":{\"phone\":\"010-3333-4444\",\"email\":\"o@example.com\"},"
                + "\"deep\":[{\"x\":{\"ssn\":\"900101-1234568\"}}],\"meta\":{\"secret key\":\"abc\"}}";
        assertThat(m.mask(doc)).isEqualTo("{\"email\":\"top@example.com\",\"users\":[{\"email\":\"*.*@example.com\","
                + "\"phone\":\"010-1111-2222\"}],\"owner\":{\"phone\":\"010-****-4444\",\"email\":\"o@example.com\"},"
                + "\"deep\":[{\"x\":{\"ssn\":\"900101-1******\"}}],\"meta\":{\"secret key\":\"a**\"}}");
        assertThat(JsonMasker.of(MaskingPolicy.builder().path("$[*].phone").build()).mask("[{\"phone\":\"02-555-0123\"}]"))
                .isEqualTo("[{\"phone\":\"02-***-0123\"}]");
        assertThat(JsonMasker.of(MaskingPolicy.builder().path("$.*.email").build()).mask("{\"a\":{\"email\":\"x@y.io\"},\"email\":\"z@y.io\"}"))
                .isEqualTo("{\"a\":{\"email\":\"*@y.io\"},\"email\":\"z@y.io\"}");
        // Array indexes: only the element named, counted from 0 over every kind of element.
        JsonMasker first = JsonMasker.of(MaskingPolicy.builder().path("$.users[0].email").path("$.codes[2]")
                .path("$..rows[1][0]").build());
        assertThat(first.mask("{\"users\":[{\"email\":\"a@b.io\"},{\"email\":\"c@d.io\"}],"
                + "\"codes\":[\"x\",[1],{\"k\":1},\"secret\"],\"t\":{\"rows\":[[\"r0\"],[\"r1c0\",\"r1c1\"]]}}"))
                .isEqualTo("{\"users\":[{\"email\":\"*@b.io\"},{\"email\":\"c@d.io\"}],"
                        + "\"codes\":[\"x\",[1],{\"k\":\"*\"},\"secret\"],\"t\":{\"rows\":[[\"r0\"],[\"r***\",\"r1c1\"]]}}");
        // The same copier serves the next document from index 0 again.
        assertThat(first.mask("{\"users\":[{\"email\":\"e@f.io\"}]}")).isEqualTo("{\"users\":[{\"email\":\"*@f.io\"}]}");
    }

    @Test
    void invalidPathsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> MaskingPolicy.builder().path("users.email").build())
                .hasMessageContaining("'users.email'").hasMessageContaining("starting with $");
        for (String bad : new String[] {"$.users[-1]", "$.users[1:2]", "$.users[]", "$.users[9999999]", "$.users[0x1]"}) {
            assertThatThrownBy(() -> MaskingPolicy.builder().path(bad).build()).as(bad)
                    .hasMessageContaining("[n] with 0 <= n <= 1000000");
        }
        assertThatThrownBy(() -> MaskingPolicy.builder().path("$.a.").build()).hasMessageContaining("after '.'");
    }

    @Test
    void detectorsScanFreeText() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.builder().detectors(Detector.EMAIL, Detector.PHONE, Detector.JWT).build());
        String doc = "{\"post\":\"연락은 010-2345-6789 또는 minjun.kim@example.kr 로\",\"n\":01,\"token\":\"eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.\"}";
        assertThat(m.mask(doc.replace("\"n\":01,", ""))).isEqualTo(
                "{\"post\":\"연락은 010-****-6789 또는 m*****.k**@example.kr 로\",\"token\":\"[jwt]\"}");
    }

    @Test
    void escapesNumbersAndUnicodeSurvive() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email"));
        String doc = "{\"q\":\"a\\\"b\\\\c\\n\\u0001\",\"big\":123456789012345678901234567890,\"f\":-1.0e+10,"
                + "\"emoji\":\"\ud83d\ude00\",\"email\":\"\\u0061@b.io\"}";
        assertThat(m.mask(doc)).isEqualTo("{\"q\":\"a\\\"b\\\\c\\n\\u0001\",\"big\":123456789012345678901234567890,"
                + "\"f\":-1.0e+10,\"emoji\":\"\ud83d\ude00\",\"email\":\"*@b.io\"}");
    }

    @Test
    void streamingInAnyChunkingGivesTheSameResult() throws IOException {
        JsonMasker m = JsonMasker.of(MaskingPolicy.builder().fields(java.util.List.of("email", "phone"))
                .detectors(Detector.defaults()).build());
        StringBuilder sb = new StringBuilder("{\"users\":[");
        for (int i = 0; i < 300; i++) {
            sb.append(i == 0 ? "" : ",").append(USER.replace("u-1003", "u-" + i))
                    .append(",{\"text\":\"문의 0").append(10 + i % 9).append("-1234-5678 ").append("x".repeat(i)).append("\"}");
        }
        String doc = sb.append("]}").toString();
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        String expected = new String(m.mask(bytes), StandardCharsets.UTF_8);
        assertThat(expected).isEqualTo(m.mask(doc));
        Random r = new Random(3);
        for (int round = 0; round < 20; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MaskingOutputStream s = m.stream(out);
            int i = 0;
            while (i < bytes.length) {
                int n = Math.min(bytes.length - i, 1 + r.nextInt(round < 5 ? 3 : 20_000));
                if (n == 1) {
                    s.write(bytes[i]);
                } else {
                    s.write(bytes, i, n);
                }
                i += n;
                if (r.nextInt(10) == 0) {
                    s.flush();
                }
            }
            s.finish();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void aSmallBodyIsMaskedWholeAndAnnouncedALargeOneStreams() throws IOException {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email", "phone"));
        byte[] small = USER.getBytes(StandardCharsets.UTF_8);
        String expected = new String(m.mask(small), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.List<Long> told = new java.util.ArrayList<>();
        MaskingOutputStream s = m.stream(out, len -> {
            assertThat(out.size()).as("told before anything is written").isZero();
            told.add(len);
        });
        s.write(small, 0, 10);
        s.write(small, 10, small.length - 10);
        assertThat(out.size()).as("nothing written before the end of a small body").isZero();
        s.finish();
        s.finish();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(told).containsExactly((long) out.size());

        // Beyond Jackson's own buffers, and within the first 128 KiB: still held, still announced.
        StringBuilder mid = new StringBuilder("[");
        for (int i = 0; i < 200; i++) { // beyond the 16 KiB written in one call too
            mid.append(i == 0 ? "" : ",").append(USER);
        }
        byte[] medium = mid.append(']').toString().getBytes(StandardCharsets.UTF_8);
        assertThat(medium.length).isBetween(8 * 1024, 128 * 1024);
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        told.clear();
        MaskingOutputStream h = m.stream(held, len -> {
            assertThat(held.size()).isZero();
            told.add(len);
        });
        h.write(medium);
        h.finish();
        assertThat(held.toByteArray()).isEqualTo(m.mask(medium));
        assertThat(told).containsExactly((long) held.size());

        // A body beyond the first 128 KiB streams as it comes and is never announced. (Written
        // without whitespace, it comes out as the one-pass masking would give it.)
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ",").append(USER);
        }
        byte[] large = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        assertThat(large.length).isGreaterThan(128 * 1024);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        told.clear();
        MaskingOutputStream big = m.stream(streamed, told::add);
        big.write(large);
        assertThat(streamed.size()).as("streaming began before the end").isPositive();
        big.finish();
        assertThat(streamed.toByteArray()).isEqualTo(m.mask(large));
        assertThat(told).isEmpty();

        // An application's flush starts streaming a small body: what it flushed is sent.
        ByteArrayOutputStream flushed = new ByteArrayOutputStream();
        MaskingOutputStream f = m.stream(flushed, told::add);
        f.write(("[" + USER).getBytes(StandardCharsets.UTF_8));
        f.flush();
        assertThat(flushed.toString(StandardCharsets.UTF_8)).startsWith("[{").doesNotContain("minjun.kim");
        f.write("]".getBytes(StandardCharsets.UTF_8));
        f.finish();
        assertThat(flushed.toString(StandardCharsets.UTF_8)).isEqualTo("[" + expected + "]");
        assertThat(told).isEmpty();

        // A small body that is cut short writes nothing at all.
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        MaskingOutputStream truncated = m.stream(cut, told::add);
        truncated.write(java.util.Arrays.copyOf(small, small.length - 3));
        assertThatThrownBy(truncated::finish).isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
        assertThat(cut.size()).isZero();
        assertThat(told).isEmpty();
    }

    @Test
    void severalRootValuesComeOutOnePerLine() throws IOException {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] lines = "{\"email\":\"a@b.io\"}\n{\"email\":\"c@d.io\"}\n".getBytes(StandardCharsets.UTF_8);
        try (MaskingOutputStream s = m.stream(out)) {
            s.write(lines);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).as("held whole: the lines as written")
                .isEqualTo("{\"email\":\"*@b.io\"}\n{\"email\":\"*@d.io\"}\n");
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        m.mask(new java.io.ByteArrayInputStream(lines), streamed);
        assertThat(streamed.toString(StandardCharsets.UTF_8)).as("streamed: re-serialised one per line")
                .isEqualTo("{\"email\":\"*@b.io\"}\n{\"email\":\"*@d.io\"}");
    }

    @Test
    void aClientThatGoesAwayIsNotReportedAsInvalidJson() throws IOException {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email"));
        java.io.OutputStream gone = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        MaskingOutputStream s = m.stream(gone);
        s.write(USER.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(s::finish).isInstanceOf(IOException.class).hasMessage("broken pipe");
        assertThatThrownBy(() -> s.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void aClosedTargetStreamIsPassedOnAsItIs() throws IOException {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email"));
        java.io.OutputStream closed = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                throw new IllegalStateException("closed");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new IllegalStateException("closed");
            }
        };
        MaskingOutputStream s = m.stream(closed);
        s.write(USER.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class).hasMessage("closed");
        MaskingOutputStream t = m.stream(new ByteArrayOutputStream(), len -> {
            throw new IllegalStateException("committed");
        });
        t.write(USER.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(t::finish).isInstanceOf(IllegalStateException.class).hasMessage("committed");
    }

    /** A thread keeps idle masking state for a few rule sets only, never for every one it used. */
    @Test
    void ruleSetsAThreadUsedCanBeCollected() throws Exception {
        JsonMasker first = JsonMasker.of(MaskingPolicy.fields("email"));
        first.mask(USER);
        java.lang.ref.WeakReference<JsonMasker> gone = new java.lang.ref.WeakReference<>(first);
        first = null;
        for (int i = 0; i < 8; i++) {
            JsonMasker.of(MaskingPolicy.fields("phone" + i)).mask(USER);
        }
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(gone.get()).isNull();
    }

    @Test
    void invalidJsonFailsInsteadOfLeaking() throws IOException {
        JsonMasker m = JsonMasker.of(MaskingPolicy.fields("email"));
        assertThatThrownBy(() -> m.mask("{\"email\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid JSON document");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MaskingOutputStream s = m.stream(out);
        assertThatThrownBy(() -> {
            s.write("{\"email\": a@b.io}".getBytes(StandardCharsets.UTF_8));
            s.finish();
        }).isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("a@b.io");
        assertThatThrownBy(() -> s.write(1)).isInstanceOf(IOException.class);
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        MaskingOutputStream truncated = m.stream(cut);
        truncated.write("{\"a\":[1,2".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(truncated::finish).isInstanceOf(IOException.class);
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        m.stream(empty).finish();
        assertThat(empty.size()).isZero();
    }

    @Test
    void hostileDocuments() {
        JsonMasker m = JsonMasker.of(MaskingPolicy.builder().field("email").path("$..x").detectors(Detector.defaults()).build());
        String deep = "[".repeat(900) + "]".repeat(900);
        assertThat(m.mask(deep)).isEqualTo(deep);
        assertThatThrownBy(() -> m.mask("[".repeat(5000) + "]".repeat(5000))).isInstanceOf(IllegalArgumentException.class);
        String longString = "{\"t\":\"" + "010-1234-5678 ".repeat(50_000) + "\"}";
        assertThat(m.mask(longString)).doesNotContain("1234");
    }
}
