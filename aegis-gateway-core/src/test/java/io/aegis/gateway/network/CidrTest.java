package io.aegis.gateway.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8, 10.255.1.1, true",
            "10.0.0.0/8, 11.0.0.0, false",
            "10.0.0.0/8, 9.255.255.255, false",
            "0.0.0.0/0, 203.0.113.1, true",
            "0.0.0.0/0, 2001:db8::1, false",
            "0.0.0.0/0, ::ffff:203.0.113.1, true",
            "254.0.0.0/7, 255.1.1.1, true",
            "254.0.0.0/7, 254.0.0.0, true",
            "254.0.0.0/7, 253.255.255.255, false",
            "192.0.2.7/32, 192.0.2.7, true",
            "192.0.2.7/32, 192.0.2.8, false",
            "192.0.2.7, 192.0.2.7, true",
            "192.0.2.0/25, 192.0.2.127, true",
            "192.0.2.0/25, 192.0.2.128, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "2001:db8::/32, 192.0.2.1, false",
            "::/0, 2001:db8::1, true",
            "::/0, 192.0.2.1, false",
            "fc00::/7, fdff::1, true",
            "fc00::/7, fe00::1, false",
            "2001:db8::1/128, 2001:db8::1, true",
            "2001:db8::1/128, 2001:db8::2, false",
            "::ffff:10.0.0.0/104, 10.9.9.9, true",
            "::ffff:10.0.0.0/104, ::ffff:10.9.9.9, true",
            "::ffff:10.0.0.0/104, 11.0.0.1, false",
            "10.0.0.0/8, [::ffff:10.0.0.1], true",
            "10.0.0.0/8, not-an-ip, false"})
    void containsAddressesOfItsNetworkOnly(String cidr, String address, boolean contained) {
        assertThat(Cidr.parse(cidr).contains(address)).isEqualTo(contained);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1.2.3/8, 10.0.0.0/8",
            "192.0.2.7, 192.0.2.7/32",
            "2001:DB8::1/32, 2001:db8::/32",
            "::ffff:10.0.0.0/104, 10.0.0.0/8",
            "' 10.0.0.0/8 ', 10.0.0.0/8",
            "255.255.255.255/0, 0.0.0.0/0"})
    void printsTheMaskedNetwork(String text, String canonical) {
        Cidr c = Cidr.parse(text);
        assertThat(c).hasToString(canonical);
        assertThat(c).isEqualTo(Cidr.parse(canonical));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33|cidr: '10.0.0.0/33' (expected: a prefix length 0..32)",
            "10.0.0.0/-1|cidr: '10.0.0.0/-1' (expected: a prefix length 0..32)",
            "::/129|cidr: '::/129' (expected: a prefix length 0..128)",
            "::ffff:10.0.0.0/95|cidr: '::ffff:10.0.0.0/95' (expected: a prefix length 0..32)",
            "10.0.0.0/x|cidr: '10.0.0.0/x' (expected: a prefix length after '/')",
            "10.0.0.0/|cidr: '10.0.0.0/' (expected: a prefix length after '/')",
            "proxy.internal/8|cidr: 'proxy.internal/8' (expected: an IP address or network such as 10.0.0.0/8 or 2001:db8::/32)"})
    void invalidNetworksAreRefused(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void trustedProxiesParseAListAndNameTheBadEntry() {
        TrustedProxies t = TrustedProxies.parse("10.0.0.0/8, ,192.0.2.1, 2001:db8::/32");
        assertThat(t.networks()).extracting(Cidr::toString).containsExactly("10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32");
        assertThat(t.contains(IpAddress.parse("10.1.1.1"))).isTrue();
        assertThat(t.contains(IpAddress.parse("192.0.2.2"))).isFalse();
        assertThat(TrustedProxies.parse("")).isSameAs(TrustedProxies.none());
        assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,lb.internal"))
                .hasMessageStartingWith("cidr: 'lb.internal' (expected:");
    }
}
