package io.aegis.gateway.policy;

import java.util.Map;

/**
 * A route matched by a {@link RouteTable}, with the path parameters the template captured
 * (percent-decoded).
 *
 * @param route the matched route
 * @param parameters the captured parameters by name; empty when the template has none
 */
public record RouteMatch(RoutePolicy route, Map<String, String> parameters) {
}
