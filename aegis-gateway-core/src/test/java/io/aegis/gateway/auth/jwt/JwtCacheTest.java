package io.aegis.gateway.auth.jwt;

import static io.aegis.gateway.auth.jwt.JwtTesting.REALM;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertInvalid;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The verified-token cache and the negative cache, observed through the verification counter. */
class JwtCacheTest {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("k1");

    private final TestClock clock = TestClock.fixed();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    private JwtAuthenticator authenticator = authenticator(JwtTesting.settings(JwtKeySource.pem(KEY.publicPem())).build());

    private JwtAuthenticator authenticator(JwtSettings settings) {
        return JwtAuthenticator.builder(settings).realm(REALM).clock(clock).openTelemetry(otel).build();
    }

    @AfterEach
    void close() {
        authenticator.close();
        otel.close();
    }

    /** Verifications counted so far, by outcome. */
    private Map<String, Long> verifications() {
        Map<String, Long> out = new HashMap<>();
        for (MetricData m : metrics.collectAllMetrics()) {
            if (m.getName().equals("aegis.auth.jwt.verifications")) {
                for (LongPointData p : m.getLongSumData().getPoints()) {
                    out.merge(p.getAttributes().get(AttributeKey.stringKey("outcome")), p.getValue(), Long::sum);
                }
            }
        }
        return out;
    }

    private String token() {
        return Tokens.mint(KEY).now(clock.instant()).sign();
    }

    @Test
    void aRepeatedValidTokenIsAnsweredFromTheCacheWithTheSameResult() {
        String token = token();
        AuthenticationResult first = authenticator.verify(token);
        assertThat(first.isSuccess()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(authenticator.verify(token)).isSameAs(first);
        }
        assertThat(verifications()).isEqualTo(Map.of("success", 1L));
    }

    @Test
    void aCachedTokenIsRejectedOnceTheClockPassesItsExpiry() {
        String token = token(); // exp = now + 300 s
        AuthenticationResult first = authenticator.verify(token);
        clock.advance(Duration.ofSeconds(300 + 29));
        assertThat(authenticator.verify(token)).isSameAs(first); // within the skew
        clock.advance(Duration.ofSeconds(2));
        assertRejected(authenticator.verify(token), ProblemType.TOKEN_EXPIRED, "The access token expired");
        assertThat(verifications()).isEqualTo(Map.of("success", 1L, "expired", 1L));
    }

    @Test
    void aForgedTokenRepeatedIsAnsweredFromTheNegativeCache() {
        String forged = Tokens.withPayload(token(), Tokens.payload(token()).replace("user-1", "admin"));
        AuthenticationResult first = authenticator.verify(forged);
        assertInvalid(first, "The access token signature is invalid");
        for (int i = 0; i < 10; i++) {
            assertThat(authenticator.verify(forged)).isSameAs(first);
        }
        assertThat(verifications()).isEqualTo(Map.of("signature", 1L));
    }

    @Test
    void aForgedTokenSharingTheSignatureOfACachedOneIsNotAnsweredFromTheCache() {
        String token = token();
        assertThat(authenticator.verify(token).isSuccess()).isTrue();
        String forged = Tokens.withPayload(token, Tokens.payload(token).replace("user-1", "admin"));
        assertInvalid(authenticator.verify(forged), "The access token signature is invalid");
        assertThat(authenticator.verify(token).isSuccess()).isTrue();
        assertThat(verifications()).isEqualTo(Map.of("success", 1L, "signature", 1L));
    }

    @Test
    void notYetValidTokensAreNotRemembered() {
        String token = Tokens.mint(KEY).now(clock.instant()).claim("nbf", clock.instant().plusSeconds(60).getEpochSecond()).sign();
        assertInvalid(authenticator.verify(token), "The access token is not yet valid");
        assertInvalid(authenticator.verify(token), "The access token is not yet valid");
        clock.advance(Duration.ofSeconds(31));
        assertThat(authenticator.verify(token).isSuccess()).isTrue();
        assertThat(verifications()).isEqualTo(Map.of("not_yet_valid", 2L, "success", 1L));
    }

    @Test
    void theCachedPrincipalCannotBeChangedByOneRequestForTheNext() {
        String token = Tokens.mint(KEY).now(clock.instant())
                .claim("realm_access", Map.of("roles", List.of("user")))
                .claim("groups", List.of("ops"))
                .sign();
        Principal principal = authenticator.verify(token).principal();
        Object nested = principal.claims().get("realm_access");
        Object list = principal.claims().get("groups");
        assertThat(nested).isInstanceOf(Map.class);
        assertThat(list).isInstanceOf(List.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> nestedMap = (Map<String, Object>) nested;
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) list;
        assertThatThrownBy(() -> nestedMap.put("roles", List.of("admin")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> groups.add("admin"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(authenticator.verify(token).principal().claims().get("realm_access"))
                .isEqualTo(Map.of("roles", List.of("user")));
    }

    @Test
    void withCachingOffEveryTokenIsVerified() {
        authenticator.close();
        authenticator = authenticator(JwtTesting.settings(JwtKeySource.pem(KEY.publicPem())).cacheMaxEntries(0).build());
        String token = token();
        AuthenticationResult first = authenticator.verify(token);
        AuthenticationResult second = authenticator.verify(token);
        assertThat(first.isSuccess()).isTrue();
        assertThat(second).isNotSameAs(first);
        assertThat(second.principal()).isEqualTo(first.principal());
        assertThat(verifications()).isEqualTo(Map.of("success", 2L));
    }
}
