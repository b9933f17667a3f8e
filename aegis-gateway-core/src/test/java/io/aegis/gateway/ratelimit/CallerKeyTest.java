package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.testing.FakeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Caller keys: fallbacks, hashing of raw API keys, and admin-supplied kinds and ids. */
class CallerKeyTest {

    @Test
    void fallsBackToBroaderIdentities() {
        Exchange anonymous = new Exchange(FakeRequest.get("/x").remote("198.51.100.1"));
        assertThat(CallerKey.of(RateLimitKey.TENANT, anonymous, "X-API-Key")).isEqualTo("ip:198.51.100.1");
        Exchange user = new Exchange(FakeRequest.get("/x"));
        user.principal(Principal.builder("alice", AuthScheme.JWT).build());
        assertThat(CallerKey.of(RateLimitKey.TENANT, user, "X-API-Key")).isEqualTo("u:alice");
        Exchange tenant = new Exchange(FakeRequest.get("/x"));
        tenant.principal(Principal.builder("bob", AuthScheme.JWT).tenant("acme").build());
        assertThat(CallerKey.of(RateLimitKey.TENANT, tenant, "X-API-Key")).isEqualTo("t:acme");
    }

    @Test
    void rawApiKeysAreNeverKept() {
        Exchange ex = new Exchange(FakeRequest.get("/x").header("X-API-Key", "sk_live_secret"));
        String key = CallerKey.of(RateLimitKey.API_KEY, ex, "X-API-Key");
        assertThat(key).startsWith("k:").doesNotContain("secret").hasSize(2 + 32);
    }

    @ParameterizedTest
    @CsvSource({"tenant, acme, t:acme", "user, alice@example.com, u:alice@example.com", "api-key, key-17, k:key-17",
            "ip, 2001:db8::1, ip:2001:db8::1", "tenant, 회사, t:회사"})
    void adminKinds(String kind, String id, String expected) {
        assertThat(CallerKey.parse(kind, id)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(value = {"planet|mars", "TENANT|acme", "|acme", "tenant|' '"}, delimiter = '|')
    void refusesUnknownKindsAndBlankIds(String kind, String id) {
        assertThatThrownBy(() -> CallerKey.parse(kind, id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected:");
    }

    @Test
    void refusesOversizedIds() {
        assertThatThrownBy(() -> CallerKey.parse("tenant", "a".repeat(257)))
                .hasMessageContaining("expected: 1 to 256 characters");
    }
}
