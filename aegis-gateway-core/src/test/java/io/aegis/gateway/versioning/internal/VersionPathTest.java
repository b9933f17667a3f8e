package io.aegis.gateway.versioning.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionPathTest {

    static final List<String> API = List.of("api");

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {
        // path | under prefix | version | with v2 | with v1
        "/api/v1/users/u-1 | true | v1 | /api/v2/users/u-1 | /api/v1/users/u-1",
        "/api/users/u-1 | true | null | /api/v2/users/u-1 | /api/v1/users/u-1",
        "/api/v10/x | true | v10 | /api/v2/x | /api/v1/x",
        "/api/v01/x | true | null | /api/v2/v01/x | /api/v1/v01/x",
        "/api/V1/x | true | null | /api/v2/V1/x | /api/v1/V1/x",
        "/api | true | null | /api/v2 | /api/v1",
        "/api/ | true | null | /api/v2/ | /api/v1/",
        "/api/v1 | true | v1 | /api/v2 | /api/v1",
        "/api/v1/ | true | v1 | /api/v2/ | /api/v1/",
        "/apis/v1/x | false | null | null | null",
        "/health | false | null | null | null",
        "/ | false | null | null | null",
        "/api//v1/x | true | null | /api/v2//v1/x | /api/v1//v1/x",
        "/api/v１/x | true | null | /api/v2/v１/x | /api/v1/v１/x",
    }, delimiter = '|', nullValues = "null")
    void parsesAndRewritesDecodedPaths(String path, boolean under, String version, String withV2, String withV1) {
        VersionPath p = VersionPath.parse(path, API);
        if (!under) {
            assertThat(p).isNull();
            return;
        }
        assertThat(p).isNotNull();
        assertThat(p.version()).isEqualTo(version);
        assertThat(p.with("v2")).isEqualTo(withV2);
        assertThat(p.with("v1")).isEqualTo(withV1);
    }

    @ParameterizedTest(name = "[{index}] {0} raw {1}")
    @CsvSource(value = {
        // decoded | raw | raw with v2 (null: does not line up)
        "/api/v1/users/a b | /api/v1/users/a%20b | /api/v2/users/a%20b",
        "/api/users/é | /api/users/%C3%A9 | /api/v2/users/%C3%A9",
        "/api/v1/a/b | /api/v1/a%2Fb | null",
        "/api/v1/x | /api/%76%31/x | /api/v2/x",
        "/api/v1/x | /api/v1;p=1/x | null",
        "/api/v1/x | /%61pi/v1/x | /%61pi/v2/x",
        "/api/v1/x | /api/v1/x/extra | null",
        "/api/v1/x | /other/v1/x | null",
        "/api/v1/x | api/v1/x | null",
        "/api/v1/x | /api/v1%ZZ/x | null",
        "/api/v1/x | /api/v1%C3/x | null",
    }, delimiter = '|', nullValues = "null")
    void rewritesRawPathsOnlyWhenTheyLineUp(String decoded, String raw, String expected) {
        assertThat(VersionPath.parse(decoded, API).rawWith(raw, "v2")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {
        "/api/v1/users/u-1 | ../../v2/users/u-1",
        "/api/v1/users/ | ../../v2/users/",
        "/api/v1/users | ../v2/users",
        "/api/v1 | v2",
        "/api/v1/ | ../v2/",
        "/api/users/u-1 | ../v2/users/u-1",
        "/api | api/v2",
        "/api/ | v2/",
    }, delimiter = '|')
    void successorLinksAreRelativeSoTheyHoldUnderAnyContextPath(String path, String expected) {
        String ref = VersionPath.parse(path, API).relativeReference(path, "v2");
        assertThat(ref).isEqualTo(expected);
        // RFC 3986 §5.2 resolution against the request, with and without a context path
        String target = VersionPath.parse(path, API).with("v2");
        assertThat(URI.create("http://h" + path).resolve(ref).getPath()).isEqualTo(target);
        assertThat(URI.create("http://h/ctx" + path).resolve(ref).getPath()).isEqualTo("/ctx" + target);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {
        "/v1/users | /v2/users | ../v2/users",
        "/users | /v2/users | v2/users",
        "/ | /v2/ | v2/",
        "/v1 | /v2 | v2",
    }, delimiter = '|')
    void theRootPrefixVersionsTheFirstSegment(String path, String withV2, String ref) {
        VersionPath p = VersionPath.parse(path, List.of());
        assertThat(p.with("v2")).isEqualTo(withV2);
        assertThat(p.relativeReference(path, "v2")).isEqualTo(ref);
        assertThat(URI.create("http://h" + path).resolve(ref).getPath()).isEqualTo(withV2);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {
        "/api/v1/users/{id} | v1 | /api/users/{}",
        "/api/v2/users/{userId: [0-9]+} | v2 | /api/users/{}",
        "/api/{version}/users | null | /api/{}/users",
        "/api/users | null | /api/users",
        "/other/v1/users | null | /other/v1/users",
    }, delimiter = '|', nullValues = "null")
    void routeTemplates(String template, String version, String shape) {
        assertThat(VersionPath.templateVersion(template, API)).isEqualTo(version);
        assertThat(VersionPath.unversionedShape(template, API)).isEqualTo(shape);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {"abc|abc", "a%20b|a b", "%E2%82%AC|€", "%e2%82%ac|€", "%|null", "%2|null", "%GG|null",
            "%FF|null", "%C0%AF|null", "ü%20x|ü x", "😀|😀"}, delimiter = '|', nullValues = "null")
    void decodesStrictUtf8(String raw, String decoded) {
        assertThat(VersionPath.decode(raw)).isEqualTo(decoded);
    }
}
