package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.access.AccessSettings;
import io.aegis.gateway.access.FeedSettings;
import io.aegis.gateway.audit.AuditSettings;
import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.threat.AnomalySettings;
import io.aegis.gateway.threat.ThreatSettings;
import io.aegis.gateway.waf.AttackType;
import io.aegis.gateway.waf.WafExclusion;
import io.aegis.gateway.waf.WafMode;
import io.aegis.gateway.waf.WafSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration path and the builder path give equal threat-defense settings; bad values name their key. */
class ThreatConfigTest {

    @Test
    void defaultsAreEqualOnBothPaths() {
        assertThat(ThreatConfig.read(AegisConfig.ofMap(Map.of()))).isEqualTo(ThreatSettings.defaults());
        assertThat(ThreatSettings.defaults().waf().enabled()).isFalse();
        assertThat(ThreatSettings.defaults().anomaly().enabled()).isFalse();
        assertThat(ThreatSettings.defaults().audit().enabled()).isTrue();
    }

    @Test
    void everyKeyHasABuilderMethod() {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.waf.enabled", "true");
        m.put("aegis.waf.mode", "detect");
        m.put("aegis.waf.paranoia-level", "2");
        m.put("aegis.waf.body.max-bytes", "65536");
        m.put("aegis.waf.body.oversize", "inspect-prefix");
        m.put("aegis.waf.headers", "User-Agent,Cookie");
        m.put("aegis.waf.attacks", "sqli,xss");
        m.put("aegis.waf.exclusions.posts.route", "create-post");
        m.put("aegis.waf.exclusions.posts.fields", "content,body:html");
        m.put("aegis.waf.exclusions.posts.attacks", "xss");
        m.put("aegis.waf.exclusions.preview.path", "/api/v1/previews/{id}");
        m.put("aegis.waf.exclusions.preview.method", "POST");
        m.put("aegis.access.allow", "10.0.0.0/8, 2001:db8::/32");
        m.put("aegis.access.deny", "203.0.113.0/24");
        m.put("aegis.access.deny-files", "/etc/aegis/deny.txt");
        m.put("aegis.access.file-check-interval", "2s");
        m.put("aegis.access.geo.database", "/data/GeoLite2-Country.mmdb");
        m.put("aegis.access.geo.deny-countries", "xx");
        m.put("aegis.access.feeds.spamhaus.location", "https://feeds.example/drop.txt");
        m.put("aegis.access.feeds.spamhaus.refresh", "30m");
        m.put("aegis.threat.enabled", "true");
        m.put("aegis.threat.threshold", "12.5");
        m.put("aegis.threat.ban.ttl", "10m");
        m.put("aegis.threat.ban.escalation", "2");
        m.put("aegis.threat.store", "redis");
        m.put("aegis.threat.redis.uri", "redis://127.0.0.1:6379");
        m.put("aegis.audit.logger", "security");
        ThreatSettings fromConfig = ThreatConfig.read(AegisConfig.ofMap(m));

        ThreatSettings built = ThreatSettings.builder()
                .waf(WafSettings.builder().enabled(true).mode(WafMode.DETECT).paranoiaLevel(2).maxBodyBytes(65536)
                        .oversize(WafSettings.Oversize.INSPECT_PREFIX).headers(List.of("User-Agent", "Cookie"))
                        .attacks(Set.of(AttackType.SQL_INJECTION, AttackType.XSS))
                        .exclusion(WafExclusion.builder("posts").route("create-post").fields("content", "body:html")
                                .attacks(AttackType.XSS).build())
                        .exclusion(WafExclusion.builder("preview").path("POST", "/api/v1/previews/{id}").build())
                        .build())
                .access(AccessSettings.builder().allow(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")))
                        .deny(List.of(Cidr.parse("203.0.113.0/24"))).denyFile(Path.of("/etc/aegis/deny.txt"))
                        .fileCheckInterval(Duration.ofSeconds(2)).geoDatabase(Path.of("/data/GeoLite2-Country.mmdb"))
                        .denyCountries("XX")
                        .feed(new FeedSettings("spamhaus", URI.create("https://feeds.example/drop.txt"), Duration.ofMinutes(30),
                                Duration.ofSeconds(10), 16L << 20, 1_000_000))
                        .build())
                .anomaly(AnomalySettings.builder().enabled(true).threshold(12.5)
                        .ban(Duration.ofMinutes(10), 2, Duration.ofHours(24), Duration.ofHours(24))
                        .redisStore("redis://127.0.0.1:6379", Duration.ofMillis(200)).build())
                .audit(new AuditSettings(true, "security"))
                .build();
        assertThat(fromConfig).isEqualTo(built);
    }

    @Test
    void invalidValuesNameTheKeyValueAndRule() {
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.waf.paranoia-level", "4"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.waf.paranoia-level='4'")
                .hasMessageContaining("1..3");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.waf.mode", "stop"))))
                .hasMessageContaining("aegis.waf.mode='stop'").hasMessageContaining("block, detect");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.waf.exclusions.x.attacks", "csrf"))))
                .hasMessageContaining("aegis.waf.exclusions.x.attacks='csrf'");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.access.deny", "10.0.0.0/33"))))
                .hasMessageContaining("aegis.access.deny='10.0.0.0/33'");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.access.geo.deny-countries", "KR"))))
                .hasMessageContaining("aegis.access.geo.database");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.threat.store", "redis"))))
                .hasMessageContaining("aegis.threat.redis.uri");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.threat.alpha", "2"))))
                .hasMessageContaining("aegis.threat.alpha");
        assertThatThrownBy(() -> ThreatConfig.read(AegisConfig.ofMap(Map.of("aegis.access.feeds.f.location", "ftp://x/y"))))
                .hasMessageContaining("aegis.access.feeds.f.location");
    }
}
