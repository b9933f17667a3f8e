package io.aegis.gateway.waf;

import java.util.Objects;

/**
 * One detection: what was found, by which rule, and where. Never carries the offending value.
 *
 * @param type the attack class
 * @param rule the rule that matched, e.g. {@code sqli-boolean}, {@code xss-event-handler}
 * @param location where in the request: {@code query:search}, {@code body:comment},
 *     {@code path}, {@code header:User-Agent}, {@code cookie:session}; {@code null} when the value
 *     was inspected on its own
 */
public record Detection(AttackType type, String rule, String location) {

    public Detection {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rule, "rule");
    }

    /** This detection at a location. */
    public Detection at(String where) {
        return new Detection(type, rule, where);
    }
}
