package io.aegis.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.mesh.internal.Routing;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Traffic splits and route paths shared by the Istio and Kong projections. */
class RoutingTest {

    @Test
    void everyRoutesWeightsSumTo100ForAnyVersionWeights() {
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            int n = 1 + random.nextInt(5);
            int[] w = new int[n];
            int left = 100;
            for (int i = 0; i < n - 1; i++) {
                w[i] = random.nextInt(left + 1);
                left -= w[i];
            }
            w[n - 1] = left;
            List<MeshVersion> versions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                versions.add(MeshVersion.of("v" + (i + 1), w[i]));
            }
            MeshDescription d = MeshDescription.builder("svc").versions(versions).build();
            assertThat(sum(Routing.shared(d))).isEqualTo(100);
            for (MeshVersion v : d.versions()) {
                List<Routing.Destination> dest = Routing.forPrefix(d, v);
                if (!dest.isEmpty()) {
                    assertThat(sum(dest)).as("weights %s, prefix of %s", java.util.Arrays.toString(w), v.id()).isEqualTo(100);
                    assertThat(dest).allMatch(x -> x.version().number() >= v.number() && x.weight() > 0);
                }
                // a prefix goes nowhere only when no version at least as new runs pods
                assertThat(dest.isEmpty()).isEqualTo(d.versions().stream().noneMatch(x -> x.number() >= v.number() && x.weight() > 0));
            }
        }
    }

    @Test
    void olderPrefixesSplitByTheWeightsOfTheVersionsThatServeThem() {
        MeshDescription d = MeshDescription.builder("svc")
                .versions(List.of(MeshVersion.of("v1", 50), MeshVersion.of("v2", 30), MeshVersion.of("v3", 20))).build();
        assertThat(Routing.forPrefix(d, d.version("v1"))).extracting(x -> x.version().id() + "=" + x.weight())
                .containsExactly("v1=50", "v2=30", "v3=20");
        assertThat(Routing.forPrefix(d, d.version("v2"))).extracting(x -> x.version().id() + "=" + x.weight())
                .containsExactly("v2=60", "v3=40");
        assertThat(Routing.forPrefix(d, d.version("v3"))).extracting(x -> x.version().id() + "=" + x.weight())
                .containsExactly("v3=100");
    }

    @Test
    void aRolloutKeepsBothVersionsAsDestinationsEvenAtZero() {
        MeshDescription d = MeshDescription.builder("svc").versions(List.of(MeshVersion.of("v1", 100), MeshVersion.of("v2", 0)))
                .rollout(new Rollout("v1", "v2", null)).build();
        assertThat(Routing.shared(d)).extracting(x -> x.version().id() + "=" + x.weight()).containsExactly("v1=100", "v2=0");
        assertThat(Routing.forPrefix(d, d.version("v2"))).extracting(x -> x.version().id() + "=" + x.weight())
                .containsExactly("v2=100");
    }

    private static int sum(List<Routing.Destination> d) {
        return d.stream().mapToInt(Routing.Destination::weight).sum();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/users|/api/v1/users|~/api/v1/users$",
            "/api/v1/users/|/api/v1/users|~/api/v1/users$",
            "/api/v1/users/{id}|/api/v1/users/*|~/api/v1/users/[^/]+$",
            "/api/v1/users/{id}/orders|/api/v1/users/*|~/api/v1/users/[^/]+/orders$",
            "/api/v1/items/{id: [0-9]+}|/api/v1/items/*|~/api/v1/items/(?:[0-9]+)$",
            "/files/{path: .*}|/files/*|~/files/(?:.*)$",
            "/|/|~/$",
            "/api/v1/a.b+c|/api/v1/a.b+c|~/api/v1/a\\.b\\+c$",
    })
    void routePathsForIstioAndKong(String template, String istio, String kong) {
        RoutePolicy r = RoutePolicy.builder("GET", template).build();
        assertThat(Routing.istioPath(r)).isEqualTo(istio);
        assertThat(Routing.kongRegex(r)).isEqualTo(kong);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/items/{id}|/api/v1/items/42|true",
            "/api/v1/items/{id}|/api/v1/items/42/x|false",
            "/api/v1/items/{id}|/api/v1/items/|false",
            "/api/v1/a.b|/api/v1/aXb|false",
            "/api/v1/items/{id: [0-9]+}|/api/v1/items/4x|false",
    })
    void kongRegexesMatchWhatTheTemplateMatches(String template, String path, boolean matches) {
        String regex = Routing.kongRegex(RoutePolicy.builder("GET", template).build()).substring(1);
        assertThat(Pattern.compile(regex).matcher(path).find() && path.matches(regex)).isEqualTo(matches);
    }
}
