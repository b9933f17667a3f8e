package io.aegis.gateway.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "192.0.2.1|192.0.2.1",
            "0.0.0.0|0.0.0.0",
            "255.255.255.255|255.255.255.255",
            "' 192.0.2.1 '|192.0.2.1",
            "2001:db8::1|2001:db8::1",
            "2001:DB8:0:0:0:0:0:1|2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001|2001:db8::1",
            "::|::",
            "::1|::1",
            "1::|1::",
            "1:2:3:4:5:6:7:8|1:2:3:4:5:6:7:8",
            "1:0:0:2:0:0:0:3|1:0:0:2::3",
            "1:0:0:2:0:0:3:4|1::2:0:0:3:4",
            "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
            "[2001:db8::1]|2001:db8::1",
            "fe80::1%eth0|fe80::1",
            "[fe80::1%25eth0]|fe80::1",
            "::ffff:192.0.2.1|192.0.2.1",
            "::FFFF:c000:0201|192.0.2.1",
            "[::ffff:192.0.2.1]|192.0.2.1",
            "64:ff9b::192.0.2.1|64:ff9b::c000:201",
            "::192.0.2.1|::c000:201",
            "1:2:3:4:5:6:1.2.3.4|1:2:3:4:5:6:102:304"})
    void literalsParseToTheirCanonicalForm(String text, String canonical) {
        assertThat(IpAddress.canonical(text)).isEqualTo(canonical);
        assertThat(IpAddress.isLiteral(text)).isTrue();
        assertThat(IpAddress.canonical(canonical)).isEqualTo(canonical);
    }

    @Test
    void ipv4MappedAddressesAreReturnedAsIpv4() {
        assertThat(IpAddress.parse("::ffff:10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(IpAddress.parse("::1")).hasSize(16);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
            "01.2.3.4", "1.02.3.4", "1.2.3.00", "256.1.1.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3",
            "1.2.3.4a", "0x1.2.3.4", "1.2.3.-4", "+1.2.3.4", "1234.1.1.1", "1.2.3.4 5",
            "1:2:3:4:5:6:7:8:9", "::1::", ":::", "1:::2", ":1", "1:", "1:2:3:4:5:6:7::8", "12345::1", "g::1", "1.2.3.4::",
            "1.2.3.4::1", "::1.2.3", "::256.1.1.1", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:1", "[::1", "::1]", "[]", "[1:2]",
            "\uff12\uff10\uff10\uff11:db8::1", "2001:db8::\u0661", "1.2.3.\u0664",
            "localhost", "example.com", "", " ", "%eth0", "unknown", "_hidden"})
    void anythingElseIsNotALiteralAndNeverLookedUp(String text) {
        assertThat(IpAddress.parse(text)).as(text).isNull();
        assertThat(IpAddress.isLiteral(text)).isFalse();
    }

    @Test
    void nullAndOverlongTextAreNotLiterals() {
        assertThat(IpAddress.parse(null)).isNull();
        assertThat(IpAddress.parse("0:0:0:0:0:0:0:1%" + "x".repeat(64))).isNull();
    }
}
