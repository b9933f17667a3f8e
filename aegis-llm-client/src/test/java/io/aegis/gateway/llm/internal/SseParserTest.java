package io.aegis.gateway.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.llm.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SseParserTest {

    static List<SseParser.Event> parse(byte[] bytes, int... cuts) {
        List<SseParser.Event> out = new ArrayList<>();
        SseParser p = new SseParser(1 << 16, out::add);
        int from = 0;
        for (int cut : cuts) {
            p.feed(ByteBuffer.wrap(bytes, from, cut - from));
            from = cut;
        }
        p.feed(ByteBuffer.wrap(bytes, from, bytes.length - from));
        return out;
    }

    static List<SseParser.Event> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> framings() {
        return Stream.of(
                Arguments.of("LF", "data: a\n\ndata: b\n\n", List.of("a", "b")),
                Arguments.of("CRLF", "data: a\r\n\r\ndata: b\r\n\r\n", List.of("a", "b")),
                Arguments.of("CR", "data: a\r\rdata: b\r\r", List.of("a", "b")),
                Arguments.of("no space", "data:a\n\ndata:  b\n\n", List.of("a", " b")),
                Arguments.of("multi-line data", "data: one\ndata: two\n\n", List.of("one\ntwo")),
                Arguments.of("comments and retry", ": keep-alive\nretry: 100\nid: 7\ndata: x\n\n", List.of("x")),
                Arguments.of("blank line without data", "\n\nevent: ping\n\ndata: y\n\n", List.of("y")),
                Arguments.of("field without colon", "data\n\n", List.of("")),
                Arguments.of("unterminated last event dropped", "data: a\n\ndata: partial", List.of("a")),
                Arguments.of("mixed endings", "data: a\r\n\ndata: b\n\r\n", List.of("a", "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void framing(String name, String text, List<String> data) {
        assertThat(parse(text)).extracting(SseParser.Event::data).containsExactlyElementsOf(data);
    }

    @Test
    void namedEventsKeepTheirType() {
        assertThat(parse("event: message_start\ndata: {}\n\ndata: {}\n\n"))
                .extracting(SseParser.Event::event).containsExactly("message_start", "message");
    }

    @Test
    void crAtTheEndOfAChunkAndLfAtTheStartOfTheNextAreOneLineEnd() {
        byte[] b = "data: a\r\n\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(parse(b, 8)).extracting(SseParser.Event::data).containsExactly("a", "b");
    }

    @Test
    void multiByteCharacterSplitBetweenChunks() {
        byte[] b = "data: 주문 #4521 😀\n\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < b.length; cut++) {
            assertThat(parse(b, cut)).extracting(SseParser.Event::data).containsExactly("주문 #4521 😀");
        }
    }

    @Test
    void overLongLineFailsInsteadOfGrowing() {
        SseParser p = new SseParser(64, e -> { });
        assertThatThrownBy(() -> p.feed(("data: " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("64 bytes");
    }

    @Test
    void pendingEventIsReported() {
        SseParser p = new SseParser(1024, e -> { });
        p.feed("data: {\"a\":".getBytes(StandardCharsets.UTF_8));
        assertThat(p.hasPendingEvent()).isTrue();
        p.feed("1}\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(p.hasPendingEvent()).isFalse();
    }

    /** Every fixture gives the same events however the network cuts it. */
    @ParameterizedTest
    @ValueSource(strings = {"openai/chat-stream.sse", "openai/chat-stream-tool-call.sse", "anthropic/messages-stream.sse",
            "gemini/stream.sse", "huggingface/tgi-generate-stream.sse", "huggingface/tgi-chat-stream.sse",
            "openai/responses-stream.sse"})
    void fixturesParseTheSameUnderRandomChunking(String fixture) {
        byte[] bytes = Fixtures.bytes(fixture);
        List<SseParser.Event> whole = parse(bytes);
        assertThat(whole).isNotEmpty();
        Random random = new Random(fixture.hashCode());
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(8);
            int[] cuts = random.ints(n, 1, bytes.length).sorted().distinct().toArray();
            assertThat(parse(bytes, cuts)).as("cuts %s", java.util.Arrays.toString(cuts)).isEqualTo(whole);
        }
    }

    @Test
    void geminiFixtureReallyUsesCrlf() {
        assertThat(new String(Fixtures.bytes("gemini/stream.sse"), StandardCharsets.UTF_8)).contains("\r\n\r\n");
        assertThat(parse(Fixtures.bytes("gemini/stream.sse"))).hasSize(2);
    }
}
