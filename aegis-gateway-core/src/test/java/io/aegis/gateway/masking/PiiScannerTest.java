package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The detectors and their masks, table-driven: what each finds, what it must leave alone. */
class PiiScannerTest {

    static final PiiScanner ALL = PiiScanner.of(java.util.EnumSet.allOf(Detector.class));
    static final PiiScanner DEFAULTS = PiiScanner.defaults();

    static String kinds(String text) {
        return DEFAULTS.find(text).stream().map(f -> f.detector().id() + ":" + f.in(text))
                .collect(Collectors.joining(" | "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        // e-mail
        "minjun.kim@example.kr; m*****.k**@example.kr",
        "write to ada.lovelace@example.com today; write to a**.l*******@example.com today",
        "x@y.io; *@y.io",
        "<sean.o-brien+news@mail.example.ie>; <s***.*-b****+n***@mail.example.ie>",
        // phone
        "010-2345-6789; 010-****-6789",
        "01023456789; 010****6789",
        "+82 10 1234 5678; +82 ** **** 5678",
        "+821012345678; +82******5678",
        "02-555-0123; 02-***-0123",
        "031-123-4567; 031-***-4567",
        "+1 202 555 0147; +1 *** *** 0147",
        "+44 20 7946 0018; +44 ** **** 0018",
        "call 202-555-0147 now; call 202-***-0147 now",
        "010.2345.6789; 010.****.6789",
        // resident registration numbers (checksum valid, and hyphenated without checksum)
        "900101-1234568; 900101-1******",
        "9001011234568; 9001011******",
        "201015-3123456; 201015-3******",
        // cards (Luhn)
        "4111 1111 1111 1111; **** **** **** 1111",
        "5500-0000-0000-0004; ****-****-****-0004",
        "378282246310005; ***********0005",
        "3782 822463 10005; **** ****** *0005",
        // bank accounts (hyphenated heuristic)
        "110-123-456789; ***-***-**6789",
        "1002-123-456789; ****-***-**6789",
        // IP addresses
        "from 192.168.10.23:8080; from 192.168.*.*:8080",
        "2001:db8:85a3::8a2e:370:7334; 2001:db8::*",
        "peer ::1 closed; peer ::* closed",
        "fe80::1%eth0; fe80::*%eth0",
        "::ffff:192.0.2.1; ::*",
        // JWT
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ end; token [jwt] end",
        // secrets
        "Authorization: Bearer abc123DEF456ghi789jkl; Authorization: Bearer [secret]",
        "Authorization: Basic dXNlcjpwYXNzd29yZA==; Authorization: Basic [secret]",
        "key aegis_live_8f3kQ2xP9wLm4Zt7Yb; key [secret]",
        "AKIAIOSFODNN7EXAMPLE in env; [secret] in env",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked; [secret] leaked",
        "xoxb-123456789012-abcdefghij; [secret]",
        "sk-proj-abcdefghijklmnopqrstuvwx; [secret]",
        "login password=hunter2&user=bob; login password=[secret]&user=bob",
        "{\"api_key\": \"s3cr3t-value\"}; {\"api_key\": \"[secret]\"}",
        "client-secret: 'abc def'; client-secret: '[secret]'",
    })
    void masks(String input, String expected) {
        assertThat(DEFAULTS.mask(input)).isEqualTo(expected);
    }

    @Test
    void koreanSentence() {
        String s = "김민준의 번호는 010-2345-6789이고 이메일은 minjun.kim@example.kr 입니다";
        assertThat(DEFAULTS.mask(s)).isEqualTo("김민준의 번호는 010-****-6789이고 이메일은 m*****.k**@example.kr 입니다");
        assertThat(kinds(s)).isEqualTo("phone:010-2345-6789 | email:minjun.kim@example.kr");
        // Particles glued to the value, full-width punctuation, no spaces.
        assertThat(DEFAULTS.mask("연락처:010-9876-5432,주민번호900101-1234568입니다。"))
                .isEqualTo("연락처:010-****-5432,주민번호900101-1******입니다。");
        assertThat(DEFAULTS.mask("메일minjun.kim@example.kr로 보내세요")).isEqualTo("메일m*****.k**@example.kr로 보내세요");
    }

    @Test
    void privateKeyBlock() {
        String pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq+abc/def==\nQWxhZGRpbjpvcGVu\n"
                + "-----END RSA PRIVATE KEY-----\nafter";
        assertThat(DEFAULTS.mask(pem)).isEqualTo("key:\n[secret]\nafter");
        String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assertThat(DEFAULTS.mask(cert)).isEqualTo(cert);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "O'Brien paid 1,234.56 EUR on 2024-01-15 at 10:30:45",
        "order 12345678 shipped; tracking 1Z999AA10123456784",
        "version 1.2.3 released, build 20240115",
        "SELECT * FROM users WHERE id = 42",
        "The meeting is at 3 p.m. in room 1205",
        "이메일 주소가 없습니다 @멘션 #태그",
        "timestamp 1700000000000 ms",
        "a 16 digit id 1234567890123456 fails Luhn",
        "900101-1234568abc and 010-1234-5678-9999",
        "UUID 550e8400-e29b-41d4-a716-446655440000",
        "MAC 00:1a:2b:3c:4d:5e and time 12:30:45",
        "std::vector<int> and Foo::bar()",
        "sk-learn is a library; the token expired",
        "Basic information about the basic plan",
        "Bearer of bad news",
        "user@localhost and @twitter and a@b",
        "1588-1234 customer centre",
        "price: ₩12,000 (세금 포함)",
    })
    void benignTextIsLeftAlone(String text) {
        assertThat(DEFAULTS.find(text)).as(kinds(text)).isEmpty();
        assertThat(DEFAULTS.mask(text)).isSameAs(text);
    }

    @Test
    void residentIdsNeedADateAndUnhyphenedOnesAChecksum() {
        assertThat(kinds("901301-1234567")).isEmpty(); // month 13
        assertThat(kinds("900101-9234567")).isEmpty(); // gender digit 9
        assertThat(kinds("9001011234567")).isEmpty(); // checksum wrong, born 1990
        assertThat(kinds("2110153123456")).isEqualTo("resident-id:2110153123456"); // post-2020 number, no checksum
        assertThat(kinds("900101-1234567")).isEqualTo("resident-id:900101-1234567"); // hyphenated: masked anyway
    }

    @Test
    void cardsNeedLuhnAndAKnownNetwork() {
        assertThat(kinds("4111111111111111")).isEqualTo("card:4111111111111111");
        assertThat(kinds("4111111111111112")).isEmpty();
        assertThat(kinds("1111111111111117")).isEmpty(); // Luhn-valid but no network starts with 1
        assertThat(kinds("4111 1111 1111 1111 and 4111-1111-1111-1111")).isEqualTo(
                "card:4111 1111 1111 1111 | card:4111-1111-1111-1111");
        assertThat(kinds("4111-1111 1111-1111")).isEmpty(); // mixed separators
    }

    @Test
    void detectorsCanBeChosen() {
        PiiScanner emailOnly = PiiScanner.of(Detector.EMAIL);
        assertThat(emailOnly.mask("a.b@example.com 010-1234-5678")).isEqualTo("a.b@example.com 010-1234-5678".replace("a.b", "*.*"));
        assertThat(PiiScanner.of().mask("a.b@example.com")).isEqualTo("a.b@example.com");
        assertThat(DEFAULTS.detectors()).doesNotContain(Detector.HIGH_ENTROPY);
    }

    @Test
    void highEntropyTokensOnlyWhenAskedFor() {
        String s = "session Zx9Qp2Lm7Rt4Wv8Ky3Nb6Hc1 done";
        assertThat(DEFAULTS.find(s)).isEmpty();
        assertThat(ALL.mask(s)).isEqualTo("session [secret] done");
        assertThat(ALL.find("UUID 550e8400-e29b-41d4-a716-446655440000")).isEmpty();
        assertThat(ALL.find("commit 3f786850e387550fdab836ed7e6dc881de23001b")).isEmpty();
        assertThat(ALL.find("AbstractSingletonProxyFactoryBean")).isEmpty();
    }

    @Test
    void findingsCarryTheirSpan() {
        List<Finding> f = DEFAULTS.find("mail a@b.co now");
        assertThat(f).containsExactly(new Finding(Detector.EMAIL, 5, 11));
        assertThat(DEFAULTS.containsAny("nothing here")).isFalse();
        assertThat(DEFAULTS.containsAny("ip 10.0.0.1")).isTrue();
        assertThat(DEFAULTS.mask(null)).isNull();
        assertThat(DEFAULTS.find(null)).isEmpty();
    }

    @Test
    void detectorIdsParse() {
        assertThat(Detector.parse("Resident_ID")).isEqualTo(Detector.RESIDENT_ID);
        assertThat(Detector.parseAll(List.of("defaults"))).isEqualTo(Detector.defaults());
        assertThat(Detector.parseAll(List.of("all"))).contains(Detector.HIGH_ENTROPY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Detector.parse("ssn"))
                .hasMessageContaining("'ssn'").hasMessageContaining("expected: one of email, phone");
    }
}
