package io.aegis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.testing.EventRecorder;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.Tokens;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reloading configuration: applied without losing unrelated state; refused with a reason and the old policy kept. */
class AegisGatewayReloadTest {

    static final byte[] SECRET = new byte[32];

    static {
        Arrays.fill(SECRET, (byte) 42);
    }

    private final AtomicReference<Map<String, String>> config = new AtomicReference<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final EventRecorder events = new EventRecorder();
    private AegisGateway gateway;

    static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.service.name", "orders");
        m.put("aegis.auth.jwt.secret", "base64:" + Base64.getEncoder().encodeToString(SECRET));
        m.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        m.put("aegis.routes.items.path", "/items");
        m.put("aegis.ratelimit.tiers.free.limits", "3/1h");
        m.put("aegis.ratelimit.tiers.premium.limits", "5/1h");
        return m;
    }

    @BeforeEach
    void start() {
        config.set(base());
        gateway = AegisGateway.builder()
                .config(() -> {
                    reads.incrementAndGet();
                    return AegisConfig.ofMap(config.get());
                })
                .listener(events)
                .build();
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    private void change(String key, String value) {
        Map<String, String> m = new HashMap<>(config.get());
        m.put(key, value);
        config.set(m);
    }

    private static String token(String subject, String tier) {
        return Tokens.mint(null).claim("sub", subject).claim("tier", tier).signHmac(SECRET, "HS256");
    }

    /** Sends one request through the current pipeline; answers the RateLimit header, or the rejection. */
    private String call(String token) {
        Pipeline p = gateway.pipeline();
        Exchange ex = new Exchange(FakeRequest.get("/items").bearer(token));
        Decision d = p.evaluate(ex);
        p.complete(ex, d.proceeds() ? 200 : d.problem().status());
        String state = ex.responseHeaders().get("RateLimit");
        return d.proceeds() ? state : d.problem().status() + " " + state;
    }

    @Test
    void aTierLimitChangeAppliesWithoutResettingAnotherTiersBuckets() {
        String free = token("f1", "free");
        String premium = token("p1", "premium");
        assertThat(call(free)).isEqualTo("\"free-1h\";r=2;t=1200");
        assertThat(call(free)).isEqualTo("\"free-1h\";r=1;t=2400");
        assertThat(call(premium)).isEqualTo("\"premium-1h\";r=4;t=720");
        assertThat(call(premium)).isEqualTo("\"premium-1h\";r=3;t=1440");
        var jwt = gateway.jwtAuthenticator();

        change("aegis.ratelimit.tiers.free.limits", "30/1h");
        AegisGateway.ReloadResult r = gateway.reload();

        assertThat(r).isEqualTo(AegisGateway.ReloadResult.success());
        assertThat(gateway.policy().rateLimits().tiers().forTier(Tier.FREE)).hasToString("30/1h");
        assertThat(events.ofType(GatewayEvent.CONFIG_RELOADED)).hasSize(1);
        assertThat(gateway.jwtAuthenticator()).isSameAs(jwt); // same settings: caches and keys kept
        // premium: untouched, 3 of 5 were left
        assertThat(call(premium)).isEqualTo("\"premium-1h\";r=2;t=2160");
        // free: 1 of 3 left becomes 10 of 30, the share it had
        assertThat(call(free)).isEqualTo("\"free-1h\";r=9;t=2520");
    }

    @Test
    void anInvalidReloadKeepsTheOldPolicyAndSaysWhy() {
        String free = token("f1", "free");
        assertThat(call(free)).isEqualTo("\"free-1h\";r=2;t=1200");
        Pipeline before = gateway.pipeline();

        change("aegis.ratelimit.tiers.free.limits", "5/1x");
        AegisGateway.ReloadResult r = gateway.reload();

        String reason = "aegis.ratelimit.tiers.free.limits='5/1x' (duration: '1x' (expected: a unit of ms, s, m, h or d))";
        assertThat(r).isEqualTo(AegisGateway.ReloadResult.failed(reason));
        assertThat(gateway.pipeline()).isSameAs(before);
        assertThat(gateway.policy().rateLimits().tiers().forTier(Tier.FREE)).hasToString("3/1h");
        assertThat(events.ofType(GatewayEvent.CONFIG_RELOAD_FAILED)).hasSize(1);
        assertThat(events.ofType(GatewayEvent.CONFIG_RELOAD_FAILED).get(0).attributes()).isEqualTo(Map.of("reason", reason));
        assertThat(events.ofType(GatewayEvent.CONFIG_RELOADED)).isEmpty();
        assertThat(call(free)).isEqualTo("\"free-1h\";r=1;t=2400");

        // Fixed again: applied.
        change("aegis.ratelimit.tiers.free.limits", "3/1h");
        assertThat(gateway.reload().applied()).isTrue();
        assertThat(call(free)).isEqualTo("\"free-1h\";r=0;t=3600");
    }

    @Test
    void aReloadThatFailsWhileAssemblingIsRefusedToo() {
        Pipeline before = gateway.pipeline();
        // Read fine, fails while the pipeline is assembled (the key source cannot be built).
        Map<String, String> m = base();
        m.remove("aegis.auth.jwt.secret");
        m.put("aegis.auth.jwt.public-key", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
        config.set(m);
        AegisGateway.ReloadResult bad = gateway.reload();
        assertThat(bad.applied()).isFalse();
        assertThat(bad.reason()).startsWith("PEM CERTIFICATE cannot be read");
        assertThat(gateway.pipeline()).isSameAs(before);
        assertThat(events.ofType(GatewayEvent.CONFIG_RELOAD_FAILED)).hasSize(1);
        assertThat(call(token("f1", "free"))).isEqualTo("\"free-1h\";r=2;t=1200");
    }

    @Test
    void routesChangeOnReload() {
        assertThat(call(token("u", "free"))).startsWith("\"free-1h\"");
        change("aegis.routes.items.access", "deny-all");
        int before = reads.get();
        assertThat(gateway.reload().applied()).isTrue();
        assertThat(call(token("u", "free"))).isEqualTo("403 null");
        assertThat(reads.get()).as("one configuration read per reload").isEqualTo(before + 1);
    }
}
