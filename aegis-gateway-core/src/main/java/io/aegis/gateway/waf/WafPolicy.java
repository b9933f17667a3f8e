package io.aegis.gateway.waf;

import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.RequestBody;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.RouteMatch;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.waf.ThreatDetector.Target;
import io.aegis.gateway.waf.internal.RequestValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The web application firewall: inspects every request, routed or not, in the
 * {@link Stage#THREAT_INSPECTION} stage: the raw path, each query parameter (name and value), the
 * configured headers and cookies, and the body (JSON strings one by one, form fields, multipart
 * text parts, text bodies), with a {@link ThreatDetector}.
 *
 * <p>A detection in {@link WafMode#BLOCK} mode answers 403 {@code request-blocked} with an
 * {@code incident} id and never echoes the payload; in {@link WafMode#DETECT} mode the request
 * goes on. Either way a {@value #EVENT_DETECTED} event is published with the attack type, the
 * rule, the location (e.g. {@code query:search}), the incident id and a short hash of the value,
 * never the value itself, and the detection is left on the exchange ({@link #DETECTION}) for the
 * anomaly detector.
 *
 * <p>Bodies are buffered up to {@link WafSettings#maxBodyBytes()}; a longer one is refused with 413
 * {@code payload-too-large}, or inspected in its first bytes, as configured.
 *
 * <p>Immutable and thread-safe.
 */
public final class WafPolicy implements GatewayPolicy {

    /** Published for every detection, in both modes. */
    public static final String EVENT_DETECTED = "waf.detected";

    /**
     * Whether the WAF reads the content of a multipart part of this content type (text, JSON, XML;
     * a part without a type unless it is a file): an adapter that rebuilds a multipart body from
     * parts a container parsed may leave out the content of the others, which only their names
     * and file names represent.
     *
     * @param partContentType the part's {@code Content-Type}, or {@code null}
     * @param file whether the part is a file (it has a file name)
     */
    public static boolean inspectsPartContent(String partContentType, boolean file) {
        return RequestValues.textualPart(partContentType == null ? null : partContentType.toLowerCase(java.util.Locale.ROOT), file);
    }
    /** The detection of the request, if any. */
    public static final AttributeKey<Detection> DETECTION = AttributeKey.of("aegis.waf.detection", Detection.class);

    private static final System.Logger LOG = System.getLogger(WafPolicy.class.getName());
    private static final String[] SCANNERS = {"sqlmap", "nikto", "nmap", "masscan", "acunetix", "netsparker", "w3af",
            "dirbuster", "gobuster", "wpscan", "nessus", "openvas", "havij", "jbrofuzz", "fimap", "arachni",
            "appscan", "nuclei", "zgrab", "whatweb", "wfuzz", "ffuf", "commix", "xsstrike", "skipfish", "paros",
            "webinspect", "burpcollaborator", "qualys", "feroxbuster", "dotdotpwn", "sqlninja", "bbqsql"};

    private final WafSettings settings;
    private final ThreatDetector detector;
    private final RouteTable routes;
    private final GatewayEvents events;
    private final boolean routeExclusions;

    /**
     * @param routes the service's routes, for exclusions by route id (pre-routing, the WAF matches them itself)
     * @param events where detections are published
     */
    public WafPolicy(WafSettings settings, RouteTable routes, GatewayEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.detector = ThreatDetector.of(settings.paranoiaLevel(), settings.attacks());
        this.routes = Objects.requireNonNull(routes, "routes");
        this.events = Objects.requireNonNull(events, "events");
        this.routeExclusions = routes.routes().stream().anyMatch(r -> WafExclusion.ofRoute(r) != null);
    }

    public WafSettings settings() {
        return settings;
    }

    @Override
    public Stage stage() {
        return Stage.THREAT_INSPECTION;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        if (!settings.enabled()) {
            return Decision.proceed();
        }
        Scan scan = new Scan(exchange.request());
        Detection found;
        try {
            found = scan.run();
        } catch (Oversized e) {
            return Decision.reject(Problem.builder(ProblemType.PAYLOAD_TOO_LARGE)
                    .detail("The request body is larger than " + settings.maxBodyBytes() + " bytes.")
                    .with("max_bytes", settings.maxBodyBytes()).build());
        }
        if (found == null) {
            return Decision.proceed();
        }
        String incident = UUID.randomUUID().toString();
        exchange.attribute(DETECTION, found);
        events.publish(GatewayEvent.of(EVENT_DETECTED,
                "attack", found.type().id(),
                "rule", found.rule(),
                "location", found.location(),
                "mode", settings.mode().name().toLowerCase(Locale.ROOT),
                "paranoia", settings.paranoiaLevel(),
                "incident", incident,
                "value_hash", scan.hash,
                "client", exchange.clientAddress(),
                "method", exchange.request().method(),
                "path", pathForLog(exchange.request().path()),
                "request_id", GatewayEvent.requestId(exchange)));
        if (settings.mode() == WafMode.DETECT) {
            return Decision.proceed();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "request blocked: " + found + ", incident " + incident);
        return Decision.reject(Problem.builder(ProblemType.REQUEST_BLOCKED)
                .detail("The request was blocked by the application firewall. Quote the incident id if you think this is a mistake.")
                .with("incident", incident)
                .build());
    }

    private static String pathForLog(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static final class Oversized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Oversized() {
            super(null, null, false, false);
        }
    }

    /** One request's inspection: exclusions are resolved lazily, on the first detection only. */
    private final class Scan implements RequestValues.Visitor {
        private final GatewayRequest request;
        private List<WafExclusion> applicable;
        String hash;

        Scan(GatewayRequest request) {
            this.request = request;
        }

        Detection run() {
            String rawPath = request.rawPath();
            Detection d = visit("path", "path", rawPath, Target.PATH);
            // each segment on its own too: an id segment is a value ("/users/1 or 1=1")
            for (int from = 1; d == null && from < rawPath.length(); ) {
                int slash = rawPath.indexOf('/', from);
                int end = slash < 0 ? rawPath.length() : slash;
                if (end > from) {
                    d = segment(rawPath.substring(from, end));
                }
                from = end + 1;
            }
            if (d == null) {
                d = RequestValues.urlEncoded("query", request.rawQuery(), this);
            }
            for (int i = 0; d == null && i < settings.headers().size(); i++) {
                String h = settings.headers().get(i);
                for (String value : request.headers(h)) {
                    d = header(h, value);
                    if (d != null) {
                        break;
                    }
                }
            }
            if (d == null && settings.maxBodyBytes() > 0 && mayHaveBody()
                    && RequestValues.inspectable(request.header("Content-Type"))) {
                RequestBody body = request.body(settings.maxBodyBytes());
                if (body != null) {
                    if (body.truncated() && settings.oversize() == WafSettings.Oversize.REJECT) {
                        throw new Oversized();
                    }
                    d = RequestValues.body(body, this);
                }
            }
            return d;
        }

        private Detection segment(String segment) {
            return check("path", "path", segment, Target.PARAMETER,
                    ThreatDetector.bit(AttackType.PATH_TRAVERSAL) | ThreatDetector.bit(AttackType.SSRF));
        }

        private boolean mayHaveBody() {
            String cl = request.header("Content-Length");
            return cl != null && !cl.trim().equals("0") || request.header("Transfer-Encoding") != null;
        }

        private Detection header(String name, String value) {
            if (name.equalsIgnoreCase("Cookie")) {
                return RequestValues.cookies(value, this);
            }
            if (name.equalsIgnoreCase("User-Agent") && settings.attacks().contains(AttackType.SCANNER)) {
                String ua = value.toLowerCase(Locale.ROOT);
                for (String s : SCANNERS) {
                    if (ua.contains(s) && skip("header", "User-Agent") != -1) {
                        hash = hash(value);
                        return new Detection(AttackType.SCANNER, "scanner-user-agent", "header:User-Agent");
                    }
                }
            }
            if (name.equalsIgnoreCase("Referer")) {
                int q = value.indexOf('?');
                Detection d = q < 0 ? null : RequestValues.urlEncoded("header", value.substring(q + 1),
                        (src, n, v, t) -> visit("header", "Referer", v, Target.HEADER));
                return d;
            }
            return visit("header", name, value, Target.HEADER);
        }

        @Override
        public Detection visit(String source, String name, String value, Target target) {
            return check(source, name, value, target, 0);
        }

        private Detection check(String source, String name, String value, Target target, int baseSkip) {
            Detection d = detector.inspect(value, target, baseSkip);
            if (d == null) {
                return null;
            }
            if (!settings.exclusions().isEmpty() || routeExclusions) {
                int skip = skip(source, name);
                if ((skip & ThreatDetector.bit(d.type())) != 0) {
                    d = skip == -1 ? null : detector.inspect(value, target, skip | baseSkip);
                    if (d == null) {
                        return null;
                    }
                }
            }
            hash = hash(value);
            return d.at(source.equals(name) ? source : source + ":" + name);
        }

        private int skip(String source, String name) {
            if (settings.exclusions().isEmpty() && !routeExclusions) {
                return 0;
            }
            if (applicable == null) {
                applicable = new ArrayList<>(2);
                RoutePolicy route = null;
                boolean matched = false;
                if (routeExclusions) {
                    RouteMatch m = routes.match(request.method(), request.path());
                    route = m == null ? null : m.route();
                    matched = true;
                    WafExclusion own = route == null ? null : WafExclusion.ofRoute(route);
                    if (own != null) {
                        applicable.add(own);
                    }
                }
                for (WafExclusion e : settings.exclusions()) {
                    if (e.routeId() != null && !matched) {
                        RouteMatch m = routes.match(request.method(), request.path());
                        route = m == null ? null : m.route();
                        matched = true;
                    }
                    if (e.appliesTo(request.method(), request.path(), route)) {
                        applicable.add(e);
                    }
                }
            }
            int bits = 0;
            for (WafExclusion e : applicable) {
                bits |= e.skipBits(source, name);
            }
            return bits;
        }
    }

    /** A short, non-reversible fingerprint of a value for correlation (never the value). */
    static String hash(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "WafPolicy";
    }
}
