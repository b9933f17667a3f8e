package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.quota.InMemoryQuotaStore;
import io.aegis.gateway.quota.QuotaCalendar;
import io.aegis.gateway.quota.QuotaLimits;
import io.aegis.gateway.quota.RedisQuotaStore;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.redis.internal.SharedRedis;
import io.aegis.gateway.testing.LocalRedis;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Counts the Redis commands of a decision on a private redis-server ({@code INFO commandstats}):
 * the performance budget is about round trips, and this pins what each decision costs. Also
 * checks that many limiters share one client and one connection.
 */
class RedisRoundTripsIT {

    static final Pattern CALLS = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)");

    static long calls(int port, String command) throws Exception {
        String info = LocalRedis.command(port, "INFO", "commandstats");
        Matcher m = CALLS.matcher(info);
        while (m.find()) {
            if (m.group(1).equals(command)) {
                return Long.parseLong(m.group(2));
            }
        }
        return 0;
    }

    @Test
    void commandsPerDecision() throws Exception {
        int port = LocalRedis.freePort();
        try (LocalRedis.Server server = new LocalRedis.Server(port).start()) {
            RedisSettings s = RedisSettings.builder().uri(server.uri()).commandTimeout(java.time.Duration.ofSeconds(2)).build();
            int clientsBefore = SharedRedis.clients();
            try (RedisRateLimiter a = RedisRateLimiter.builder(s).build();
                 RedisRateLimiter b = RedisRateLimiter.builder(s).build();
                 RedisQuotaStore q = new RedisQuotaStore(s, "rt", FailureMode.FAIL_CLOSED, new InMemoryQuotaStore())) {
                assertThat(SharedRedis.clients()).as("one client per settings, shared").isEqualTo(clientsBefore + 1);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!a.available() || !q.available()) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(10);
                }
                LimitSet limits = LimitSet.parse("1000000/1s,100000000/1h");
                a.tryConsume("rt|g|u:first", limits, 1); // creates the bucket
                // b adopted the limits later, so its first call replaces the stored configuration (newest wins).
                b.tryConsume("rt|g|u:first", limits, 1);
                a.tryConsume("rt|g|u:first", limits, 1);
                // commandstats also counts the commands a script runs (the swap script does a GET and a
                // SET itself); the client's own GETs are (GETs - EVALs).
                long gets = calls(port, "get");
                long evals = calls(port, "eval");
                for (int i = 0; i < 100; i++) {
                    a.tryConsume("rt|g|u:first", limits, 1);
                }
                assertThat(calls(port, "eval") - evals).as("one replica: EVALs per 100 decisions").isEqualTo(100);
                assertThat(calls(port, "get") - gets - 100).as("one replica: client GETs").isZero();

                // Two replicas taking turns: each finds the other's write, so each decision is two EVALs.
                evals = calls(port, "eval");
                gets = calls(port, "get");
                for (int i = 0; i < 100; i++) {
                    (i % 2 == 0 ? a : b).tryConsume("rt|g|u:first", limits, 1);
                }
                long turnEvals = calls(port, "eval") - evals;
                assertThat(turnEvals).as("two replicas in turn: EVALs per 100 decisions").isBetween(100L, 200L);
                assertThat(calls(port, "get") - gets - turnEvals).as("two replicas: client GETs").isZero();

                QuotaCalendar.Periods p = new QuotaCalendar(ZoneOffset.UTC).at(Instant.now());
                q.consume("t:x", QuotaLimits.of(100, 0), p, 1, List.of(80, 100)); // loads the script
                long evalshas = calls(port, "evalsha");
                int alerts = 0;
                for (int i = 0; i < 100; i++) {
                    alerts += q.consume("t:x", QuotaLimits.of(100, 0), p, 1, List.of(80, 100)).crossed().size();
                }
                assertThat(calls(port, "evalsha") - evalshas).as("one EVALSHA per quota decision").isEqualTo(100);
                assertThat(alerts).as("the 80 % and 100 % alerts, each once").isEqualTo(2);
                String clients = LocalRedis.command(port, "CLIENT", "LIST");
                assertThat(clients.lines().filter(l -> l.startsWith("id=") && !l.contains("cmd=client")).count())
                        .as("one connection for all three: %s", clients).isEqualTo(1);
            }
        }
    }
}
