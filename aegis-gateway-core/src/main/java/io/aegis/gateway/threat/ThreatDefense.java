package io.aegis.gateway.threat;

import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.waf.WafPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The threat-defense state of one gateway that outlives configuration reloads, and the policies
 * it contributes to each pipeline: the WAF ({@link WafPolicy}, stage
 * {@code THREAT_INSPECTION}).
 *
 * <p>Created and closed by {@code AegisGateway}. Thread-safe.
 */
public final class ThreatDefense implements AutoCloseable {

    private final GatewayEvents events;
    private final Clock clock;

    public ThreatDefense(GatewayEvents events, Clock clock) {
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The policies for a pipeline of this policy (called on start and on every reload). */
    public synchronized List<GatewayPolicy> policies(ServicePolicy policy) {
        ThreatSettings s = policy.threatDefense();
        List<GatewayPolicy> out = new ArrayList<>(3);
        if (s.waf().enabled()) {
            out.add(new WafPolicy(s.waf(), policy.routeTable(), events));
        }
        return out;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        // background work is added with the parts that need it
    }
}
