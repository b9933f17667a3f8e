package io.aegis.gateway.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.testing.FakeRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressPolicyTest {

    private static final ClientAddressPolicy NO_PROXIES = new ClientAddressPolicy(TrustedProxies.none());
    private static final ClientAddressPolicy BEHIND_PROXIES =
            new ClientAddressPolicy(TrustedProxies.parse("10.0.0.0/8, 2001:db8:ffff::/48"));

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientWhateverTheHeadersSay() {
        FakeRequest spoofed = FakeRequest.get("/").remote("192.0.2.10")
                .header("X-Forwarded-For", "1.1.1.1")
                .header("Forwarded", "for=1.1.1.1")
                .header("X-Real-IP", "1.1.1.1");
        assertThat(NO_PROXIES.resolve(spoofed)).isEqualTo("192.0.2.10");
        assertThat(NO_PROXIES.resolve(FakeRequest.get("/").remote("[2001:DB8::1]").header("X-Forwarded-For", "1.1.1.1")))
                .isEqualTo("2001:db8::1");
        assertThat(NO_PROXIES.resolve(FakeRequest.get("/").remote("::ffff:192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void anUntrustedPeerIsTheClientEvenBehindConfiguredProxies() {
        assertThat(BEHIND_PROXIES.resolve(FakeRequest.get("/").remote("192.0.2.10").header("X-Forwarded-For", "1.1.1.1")))
                .isEqualTo("192.0.2.10");
    }

    @ParameterizedTest(name = "X-Forwarded-For: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "203.0.113.5|203.0.113.5",
            "1.1.1.1, 203.0.113.5|203.0.113.5",
            "203.0.113.5, 198.51.100.7, 10.0.0.2|198.51.100.7",
            "203.0.113.5:4711, 10.0.0.2|203.0.113.5",
            "[2001:db8::5]:443, 2001:db8:ffff::1|2001:db8::5",
            "2001:db8::5|2001:db8::5",
            "::ffff:203.0.113.5|203.0.113.5",
            "10.0.0.3, 10.0.0.2|10.0.0.3",
            "203.0.113.5, garbage, 10.0.0.2|10.0.0.2",
            "203.0.113.5, unknown|10.0.0.1",
            "203.0.113.5, host.example|10.0.0.1",
            "' , ,203.0.113.5 , '|203.0.113.5",
            "''|10.0.0.1"})
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient(String xff, String client) {
        FakeRequest r = FakeRequest.get("/").remote("10.0.0.1").header("X-Forwarded-For", xff);
        assertThat(BEHIND_PROXIES.resolve(r)).isEqualTo(client);
    }

    @Test
    void severalXForwardedForHeadersAreOneListInOrder() {
        FakeRequest r = FakeRequest.get("/").remote("10.0.0.1")
                .header("X-Forwarded-For", "203.0.113.5, 10.0.0.9")
                .header("X-Forwarded-For", "10.0.0.8");
        assertThat(BEHIND_PROXIES.resolve(r)).isEqualTo("203.0.113.5");
    }

    @ParameterizedTest(name = "Forwarded: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "for=192.0.2.60;proto=http;by=203.0.113.43|192.0.2.60",
            "For=192.0.2.60|192.0.2.60",
            "FOR=\"192.0.2.60\"|192.0.2.60",
            "for=\"[2001:db8:cafe::17]:4711\"|2001:db8:cafe::17",
            "for=\"[2001:db8:cafe::17]\", for=10.0.0.7|2001:db8:cafe::17",
            "for=198.51.100.1, for=unknown|10.0.0.1",
            "for=unknown, for=10.0.0.5|10.0.0.5",
            "for=198.51.100.1, for=_hidden|10.0.0.1",
            "for=198.51.100.1, for=\"_hidden:_port\"|10.0.0.1",
            "for=198.51.100.1, proto=https|10.0.0.1",
            "for=192.0.2.60:8080|192.0.2.60",
            "by=10.0.0.1;for=\"192.0.2.61;x\";proto=https|10.0.0.1",
            "proto=https;for=192.0.2.62|192.0.2.62",
            "for=10.0.0.4, for=10.0.0.3|10.0.0.4"})
    void theForwardedHeaderIsReadWhenPresent(String forwarded, String client) {
        FakeRequest r = FakeRequest.get("/").remote("10.0.0.1").header("Forwarded", forwarded)
                .header("X-Forwarded-For", "203.0.113.99");
        assertThat(BEHIND_PROXIES.resolve(r)).isEqualTo(client);
    }

    @Test
    void aLongSpoofedHopListCannotPushTheRealClientOutOfTheWalk() {
        List<String> fake = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            fake.add("for=198.51.100." + i);
        }
        FakeRequest forwarded = FakeRequest.get("/").remote("10.0.0.1")
                .header("Forwarded", String.join(", ", fake) + ", for=203.0.113.5");
        assertThat(BEHIND_PROXIES.resolve(forwarded)).isEqualTo("203.0.113.5");

        List<String> fakeXff = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            fakeXff.add("198.51.100." + i);
        }
        FakeRequest xff = FakeRequest.get("/").remote("10.0.0.1")
                .header("X-Forwarded-For", String.join(", ", fakeXff) + ", 203.0.113.5");
        assertThat(BEHIND_PROXIES.resolve(xff)).isEqualTo("203.0.113.5");
    }

    @Test
    void aPeerThatIsNotALiteralIsKeptAsItIs() {
        assertThat(BEHIND_PROXIES.resolve(FakeRequest.get("/").remote("unix:/run/sock"))).isEqualTo("unix:/run/sock");
    }

    @Test
    void thePolicySetsTheExchangesClientAddress() {
        Exchange ex = new Exchange(FakeRequest.get("/").remote("10.0.0.1").header("X-Forwarded-For", "203.0.113.5"));
        assertThat(ex.clientAddress()).isEqualTo("10.0.0.1");
        assertThat(BEHIND_PROXIES.evaluate(ex).proceeds()).isTrue();
        assertThat(ex.clientAddress()).isEqualTo("203.0.113.5");
    }
}
