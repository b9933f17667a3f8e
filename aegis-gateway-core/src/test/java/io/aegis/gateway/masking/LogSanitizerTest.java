package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The log sanitizer: the function, structured attributes, the JUL formatter and the System.Logger decorator. */
class LogSanitizerTest {

    @Test
    void sanitizesMessages() {
        assertThat(LogSanitizer.sanitize("login failed for minjun.kim@example.kr from 203.0.113.9 with "
                + "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.sig_sig_sig"))
                .isEqualTo("login failed for m*****.k**@example.kr from 203.0.*.* with Authorization: Bearer [secret]");
        assertThat(LogSanitizer.sanitize("nothing to hide")).isEqualTo("nothing to hide");
        assertThat(LogSanitizer.sanitize((String) null)).isNull();
        assertThat(LogSanitizer.defaults().detectors()).isEqualTo(Detector.defaults());
        assertThat(LogSanitizer.of(java.util.Set.of(Detector.EMAIL)).apply("a@b.io 10.0.0.1")).isEqualTo("*@b.io 10.0.0.1");
    }

    @Test
    void masksAttributeMaps() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("phone", "010-1234-5678");
        nested.put("Cookie", "SESSION=abc");
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("event", "auth.failed");
        attrs.put("client", "198.51.100.7");
        attrs.put("password", "hunter2");
        attrs.put("x-api-key", "whatever");
        attrs.put("status", 401);
        attrs.put("at", Instant.EPOCH);
        attrs.put("id", UUID.fromString("550e8400-e29b-41d4-a716-446655440000"));
        attrs.put("user", nested);
        attrs.put("emails", List.of("a.b@example.com", 7));
        attrs.put("array", new Object[] {"900101-1234568"});
        attrs.put("object", new StringBuilder("card 4111111111111111"));
        attrs.put("nothing", null);
        Map<String, Object> out = LogSanitizer.sanitize(attrs);
        assertThat(out).containsExactly(
                Map.entry("event", "auth.failed"),
                Map.entry("client", "198.51.*.*"),
                Map.entry("password", "[secret]"),
                Map.entry("x-api-key", "[secret]"),
                Map.entry("status", 401),
                Map.entry("at", Instant.EPOCH),
                Map.entry("id", UUID.fromString("550e8400-e29b-41d4-a716-446655440000")),
                Map.entry("user", Map.of("phone", "010-****-5678", "Cookie", "[secret]")),
                Map.entry("emails", List.of("*.*@example.com", 7)),
                Map.entry("array", List.of("900101-1******")),
                Map.entry("object", "card ************1111"),
                new java.util.AbstractMap.SimpleEntry<>("nothing", null));
        assertThat(LogSanitizer.sanitize((Map<String, ?>) null)).isEmpty();
        assertThat(LogSanitizer.isSecretName("refresh_token")).isTrue();
        assertThat(LogSanitizer.isSecretName("tokens_used")).isTrue();
        assertThat(LogSanitizer.isSecretName("route")).isFalse();
    }

    @Test
    void selfReferenceStopsAtTheDepthLimit() {
        Map<String, Object> loop = new LinkedHashMap<>();
        loop.put("self", loop);
        Map<String, Object> out = LogSanitizer.sanitize(loop);
        Object v = out;
        int depth = 0;
        while (v instanceof Map<?, ?> m) {
            v = m.get("self");
            depth++;
        }
        assertThat(v).isEqualTo("[...]");
        assertThat(depth).isBetween(8, 20);
    }

    @Test
    void julFormatterMasksTheWholeRecord() {
        LogRecord r = new LogRecord(Level.WARNING, "user {0} called");
        r.setParameters(new Object[] {"minjun.kim@example.kr"});
        r.setThrown(new IllegalStateException("card 4111 1111 1111 1111 declined"));
        r.setLoggerName("test");
        String line = LogSanitizer.defaults().formatter(new SimpleFormatter()).format(r);
        assertThat(line).contains("user m*****.k**@example.kr called").contains("card **** **** **** 1111 declined")
                .doesNotContain("minjun.kim").doesNotContain("4111 1111");
    }

    @Test
    void systemLoggerDecorator() {
        List<String> lines = new ArrayList<>();
        System.Logger sink = new System.Logger() {
            @Override
            public String getName() {
                return "sink";
            }

            @Override
            public boolean isLoggable(Level level) {
                return level != Level.TRACE;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                lines.add(level + " " + msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                lines.add(level + " " + format + " " + List.of(params));
            }
        };
        System.Logger log = LogSanitizer.defaults().logger(sink);
        log.log(System.Logger.Level.INFO, "token={0} user {1}", "abcdef123456", "a.b@example.com");
        log.log(System.Logger.Level.WARNING, "phone 010-1234-5678");
        log.log(System.Logger.Level.ERROR, (Supplier<String>) () -> "ip 10.1.2.3");
        log.log(System.Logger.Level.TRACE, "not loggable a@b.io");
        log.log(System.Logger.Level.INFO, "bad {format", "x@y.io");
        assertThat(lines).containsExactly(
                "INFO token=[secret] user *.*@example.com",
                "WARNING phone 010-****-5678",
                "ERROR ip 10.1.*.*",
                "INFO bad {format [*@y.io]");
        assertThat(log.getName()).isEqualTo("sink");
    }
}
