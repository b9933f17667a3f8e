package io.aegis.examples.policies;

import io.aegis.examples.support.testing.JarContract;
import io.aegis.examples.support.testing.RunningJar;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * The black-box contract of examples/README.md, exactly as an outside check drives it: the
 * packaged jar started with {@code java -jar} and configured by environment variables only.
 * Runs after {@code package} (failsafe).
 */
class PolicyServiceJarIT {

    @Test
    void environmentVariablesConfigureTheJar() throws Exception {
        TestKeys.SigningKey key = TestKeys.rsa("contract");
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key));
             RunningJar jar = RunningJar.start("policy-service", JarContract.environment(jwks))) {
            JarContract.check(jar, key, "/api/v1/policies?owner=u-1001", "policies:read");
        }
    }
}
