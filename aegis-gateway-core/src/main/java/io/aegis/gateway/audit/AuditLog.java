package io.aegis.gateway.audit;

import io.aegis.gateway.audit.internal.Redactor;
import io.aegis.gateway.audit.spi.AuditSink;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEventListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Turns gateway events into audit records: authentication failures and authorization denials
 * ({@code request.rejected} with 401/403), access denials, WAF blocks and detections, bans and
 * unbans, attacks (emergency mode), configuration reloads, IP list loads, signing-key problems, and
 * any event of other features whose type starts with {@code admin.}, {@code apikey.},
 * {@code emergency.} or {@code key.}. Values are masked (tokens, keys, passwords, long secrets);
 * payloads are never part of an event in the first place.
 *
 * <p>Listen with {@code events.addListener(auditLog)}. The trace id is read from the current
 * OpenTelemetry span (listeners run on the request thread). Thread-safe.
 */
public final class AuditLog implements GatewayEventListener {

    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
    private static final Set<String> RECORDED_PREFIXES = Set.of("admin.", "apikey.", "emergency.", "key.", "traffic.emergency");

    private final AuditSink sink;
    private volatile boolean enabled = true;

    public AuditLog(AuditSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Turns recording on or off (configuration reloads). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    public AuditSink sink() {
        return sink;
    }

    @Override
    public void onEvent(GatewayEvent e) {
        if (!enabled) {
            return;
        }
        String type = auditType(e);
        if (type == null) {
            return;
        }
        Map<String, Object> a = e.attributes();
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, Object> x : a.entrySet()) {
            String k = x.getKey();
            if (k.equals("client") || k.equals("subject") || k.equals("route") || k.equals("request_id") || k.equals("trace_id")) {
                continue;
            }
            Object v = x.getValue();
            if (Redactor.secretName(k)) {
                details.put(k, Redactor.MASK);
            } else if (v instanceof Number || v instanceof Boolean) {
                details.put(k, v);
            } else {
                details.put(k, Redactor.redact(String.valueOf(v)));
            }
        }
        if (!type.equals(e.type())) {
            details.put("event", e.type());
        }
        String requestId = text(a.get("request_id"));
        String traceId = text(a.get("trace_id"));
        SpanContext span = Span.current().getSpanContext();
        if (traceId == null && span.isValid()) {
            traceId = span.getTraceId();
        }
        AuditEvent record = new AuditEvent(type, e.time(), text(a.get("client")), Redactor.redact(text(a.get("subject"))),
                text(a.get("route")), requestId != null ? Redactor.redact(requestId) : UUID.randomUUID().toString(),
                traceId, details);
        try {
            sink.write(record);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "audit sink " + sink + " failed on " + type, ex);
        }
    }

    /** The audit type of an event, or {@code null} when it is not audited. */
    static String auditType(GatewayEvent e) {
        String t = e.type();
        switch (t) {
            case GatewayEvent.REQUEST_REJECTED -> {
                Object status = e.attributes().get("status");
                String problem = String.valueOf(e.attributes().get("problem"));
                if (problem.equals("access-denied")) {
                    return "access.denied";
                }
                if (problem.equals("request-blocked") || problem.equals("client-banned")) {
                    return null; // recorded as waf.* and ban when they happened
                }
                if (Integer.valueOf(401).equals(status)) {
                    return "auth.failure";
                }
                if (Integer.valueOf(403).equals(status)) {
                    return "authz.denied";
                }
                return null;
            }
            case "waf.detected" -> {
                return "block".equals(e.attributes().get("mode")) ? "waf.block" : "waf.detect";
            }
            case "threat.client_banned" -> {
                return "ban";
            }
            case "threat.client_unbanned" -> {
                return "admin.unban";
            }
            case "threat.attack_detected" -> {
                return "emergency.attack_detected";
            }
            case "threat.attack_ended" -> {
                return "emergency.attack_ended";
            }
            case GatewayEvent.CONFIG_RELOADED -> {
                return "admin.config_reloaded";
            }
            case GatewayEvent.CONFIG_RELOAD_FAILED -> {
                return "admin.config_reload_failed";
            }
            case "access.list_loaded" -> {
                return "admin.ip_list_loaded";
            }
            case "access.list_failed" -> {
                return "admin.ip_list_failed";
            }
            case GatewayEvent.JWKS_STALE -> {
                return "key.jwks_stale";
            }
            case GatewayEvent.JWKS_RECOVERED -> {
                return "key.jwks_recovered";
            }
            default -> {
                for (String p : RECORDED_PREFIXES) {
                    if (t.startsWith(p)) {
                        return t;
                    }
                }
                return null;
            }
        }
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
