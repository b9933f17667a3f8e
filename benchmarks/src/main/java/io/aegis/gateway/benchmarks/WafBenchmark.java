package io.aegis.gateway.benchmarks;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.waf.WafPolicy;
import io.aegis.gateway.waf.WafSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The WAF on a clean request: a query string and a 1 KB JSON body (names, e-mails, Korean text, a
 * sentence, numbers), against a naive check of the same values with ten regular expressions.
 * Budget: 10 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WafBenchmark {

    static final String QUERY = "search=o%27brien&city=%EC%84%9C%EC%9A%B8&limit=20&sort=-created_at&fields=name,email";
    static final String JSON = "{\"name\":\"Patrick O'Brien\",\"email\":\"patrick.obrien@example.com\","
            + "\"phone\":\"+82 10-1234-5678\",\"city\":\"서울특별시 강남구 테헤란로 123\",\"age\":42,\"active\":true,"
            + "\"bio\":\"Select the best option from the list and update your profile. I love hiking & coffee (a lot).\","
            + "\"tags\":[\"java\",\"kotlin\",\"sql\",\"회원\",\"premium\"],\"address\":{\"street\":\"123 Main St.\","
            + "\"zip\":\"06236\",\"country\":\"KR\"},\"notes\":\"안녕하세요, 반갑습니다! 오늘 날씨가 정말 좋네요. 산책하러 갈까요?\","
            + "\"website\":\"https://www.example.com/users/patrick\",\"created\":\"2024-01-15T10:30:00Z\","
            + "\"preferences\":{\"theme\":\"dark\",\"language\":\"ko-KR\",\"newsletter\":false,\"timezone\":\"Asia/Seoul\"},"
            + "\"history\":[{\"date\":\"2024-02-01\",\"action\":\"login\",\"ip\":\"203.0.113.7\"},"
            + "{\"date\":\"2024-02-03\",\"action\":\"update profile\",\"ip\":\"203.0.113.7\"}],"
            + "\"comment\":\"The union of two sets is a set; drop me a line if a < b and c > d.\","
            + "\"signature\":\"-- Patrick (patrick@example.com), Seoul office, ext. 1234\",\"score\":98.5,"
            + "\"referral\":\"Found you through a friend's recommendation (thanks, Jin!)\"}";

    private static final List<Pattern> NAIVE = List.of(
            Pattern.compile("(?i)\\bunion\\b.+\\bselect\\b"), Pattern.compile("(?i)'\\s*or\\s+\\S+\\s*=\\s*\\S+"),
            Pattern.compile("(?i)<script"), Pattern.compile("(?i)\\bon\\w+\\s*="), Pattern.compile("(?i)javascript:"),
            Pattern.compile("\\.\\./"), Pattern.compile("[;|&]\\s*(cat|ls|id|whoami)\\b"), Pattern.compile("(?i)\\bsleep\\s*\\("),
            Pattern.compile("--|#|/\\*"), Pattern.compile("(?i)\\b(drop|delete|insert)\\s+(table|from|into)\\b"));

    private WafPolicy waf;
    private FakeRequest request;
    private String[] values;

    @Setup
    public void setup() {
        waf = new WafPolicy(WafSettings.builder().enabled(true).build(), RouteTable.empty(), GatewayEvents.none());
        request = FakeRequest.of("POST", "/api/v1/users?" + QUERY).body("application/json", JSON);
        if (JSON.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 1000 || JSON.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1100) {
            throw new IllegalStateException("the document must be about 1 KB");
        }
        if (waf.evaluate(new Exchange(request)).rejects()) {
            throw new IllegalStateException("the benchmark request must be clean");
        }
        values = new String[] {"o'brien", "서울", "20", "-created_at", "name,email", JSON};
    }

    /** Query string and 1 KB JSON body through the WAF stage (parse, prefilter, detectors). */
    @Benchmark
    public Decision wafQueryAndJsonBody() {
        return waf.evaluate(new Exchange(request));
    }

    /** The naive baseline: ten regular expressions over the same values (the body as one string). */
    @Benchmark
    public int naiveTenRegexes() {
        int hits = 0;
        for (String v : values) {
            for (Pattern p : NAIVE) {
                if (p.matcher(v).find()) {
                    hits++;
                }
            }
        }
        return hits;
    }
}
