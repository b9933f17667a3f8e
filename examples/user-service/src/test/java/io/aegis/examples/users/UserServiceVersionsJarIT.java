package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.examples.support.testing.RunningJar;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The versioning part of the black-box contract of examples/README.md, as an outside check
 * drives it: the packaged jar, {@code AEGIS_VERSIONS_V1_SUNSET} set in the past, development
 * tokens. Runs after {@code package} (failsafe).
 */
class UserServiceVersionsJarIT {

    @Test
    void bothVersionsAnswerAndVersionOneIsDeprecated() throws Exception {
        try (RunningJar jar = RunningJar.start("user-service", Map.of())) {
            String t = jar.devToken("users:read");
            HttpResponse<String> v2 = jar.get("/api/v2/users/u-1001", t);
            assertThat(v2.statusCode()).isEqualTo(200);
            assertThat(v2.body()).contains("\"givenName\":\"Ada\"", "\"familyName\":\"Lovelace\"");
            HttpResponse<String> v1 = jar.get("/api/v1/users/u-1001", t);
            assertThat(v1.statusCode()).isEqualTo(200);
            assertThat(v1.body()).contains("\"name\":\"Ada Lovelace\"");
            assertThat(v1.headers().firstValue("Deprecation")).hasValueSatisfying(d -> assertThat(d).matches("@[0-9]+"));
            assertThat(v1.headers().firstValue("Sunset")).hasValue("Fri, 31 Dec 2027 00:00:00 GMT");
            assertThat(v1.headers().allValues("Link")).anySatisfy(l -> assertThat(l).endsWith("; rel=\"successor-version\""))
                    .anySatisfy(l -> assertThat(l).endsWith("; rel=\"deprecation\""));
        }
    }

    @Test
    void aSunsetInThePastRetiresVersionOne() throws Exception {
        try (RunningJar jar = RunningJar.start("user-service", Map.of("AEGIS_VERSIONS_V1_SUNSET", "2020-01-01"))) {
            String t = jar.devToken("users:read");
            HttpResponse<String> gone = jar.get("/api/v1/users/u-1001", t);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(gone.body()).contains("\"type\":\"https://aegis.io/problems/version-sunset\"", "\"successor\":\"v2\"",
                    "\"migration_guide\":\"https://github.com/aegis/aegis-gateway/blob/main/docs/migrations/user-service-v1-to-v2.md\"");
            assertThat(gone.headers().firstValue("Sunset")).hasValue("Wed, 01 Jan 2020 00:00:00 GMT");
            assertThat(jar.get("/api/v2/users/u-1001", t).statusCode()).isEqualTo(200);
            assertThat(jar.get("/api/users/u-1001", t).body()).contains("\"givenName\":\"Ada\"");
        }
    }
}
