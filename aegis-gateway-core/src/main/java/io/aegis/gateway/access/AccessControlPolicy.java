package io.aegis.gateway.access;

import io.aegis.gateway.access.spi.GeoLocator;
import io.aegis.gateway.network.IpAddress;
import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import java.util.List;
import java.util.Objects;

/**
 * IP allow and deny lists, threat-intelligence feeds and geo rules, in the
 * {@link Stage#ACCESS_CONTROL} stage (every request, before anything is parsed). Order: an
 * allow-listed address passes at once (and is marked {@link #ALLOW_LISTED} so that bans spare it);
 * then deny lists, feeds and country rules answer 403 {@code access-denied}.
 *
 * <p>Immutable and thread-safe; the file and feed lists are read through their {@link ListSource}s,
 * which reload in the background.
 */
public final class AccessControlPolicy implements GatewayPolicy {

    /** Set on exchanges whose client is on an allow list. */
    public static final AttributeKey<Boolean> ALLOW_LISTED = AttributeKey.of("aegis.access.allow-listed", Boolean.class);

    private final AccessSettings settings;
    private final CidrSet allow;
    private final CidrSet deny;
    private final List<ListSource> allowFiles;
    private final List<ListSource> denyFiles;
    private final List<ListSource> feeds;
    private final GeoLocator geo;

    /**
     * @param geo the country source, or {@code null} when there are no country rules
     * @throws IllegalArgumentException when country rules are set without a locator
     */
    public AccessControlPolicy(AccessSettings settings, List<ListSource> allowFiles, List<ListSource> denyFiles,
                               List<ListSource> feeds, GeoLocator geo) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.allow = CidrSet.of(settings.allow());
        this.deny = CidrSet.of(settings.deny());
        this.allowFiles = List.copyOf(allowFiles);
        this.denyFiles = List.copyOf(denyFiles);
        this.feeds = List.copyOf(feeds);
        this.geo = geo;
        if (geo == null && (!settings.allowCountries().isEmpty() || !settings.denyCountries().isEmpty())) {
            throw new IllegalArgumentException("country rules need a geo database (expected: aegis.access.geo.database, "
                    + "a MaxMind GeoIP2/GeoLite2 .mmdb file, or a GeoLocator)");
        }
    }

    @Override
    public Stage stage() {
        return Stage.ACCESS_CONTROL;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        byte[] addr = IpAddress.parse(exchange.clientAddress());
        if (addr == null) {
            return Decision.proceed(); // not an IP literal (an adapter without a socket): nothing to match
        }
        if (allow.contains(addr) || any(allowFiles, addr)) {
            exchange.attribute(ALLOW_LISTED, Boolean.TRUE);
            return Decision.proceed();
        }
        if (deny.contains(addr) || any(denyFiles, addr)) {
            return denied("Requests from your address are not accepted.", "ip-deny-list");
        }
        for (ListSource f : feeds) {
            if (f.current().contains(addr)) {
                return denied("Requests from your address are not accepted: it is listed as a source of attacks.",
                        "threat-feed");
            }
        }
        if (geo != null && (!settings.allowCountries().isEmpty() || !settings.denyCountries().isEmpty())) {
            String country = geo.country(addr);
            if (country != null && settings.denyCountries().contains(country)
                    || !settings.allowCountries().isEmpty() && (country == null ? !settings.allowUnknownCountry()
                    : !settings.allowCountries().contains(country))) {
                return denied("Requests from your region are not accepted.", "geo");
            }
        }
        return Decision.proceed();
    }

    private static boolean any(List<ListSource> lists, byte[] addr) {
        for (ListSource l : lists) {
            if (l.current().contains(addr)) {
                return true;
            }
        }
        return false;
    }

    private static Decision denied(String detail, String rule) {
        return Decision.reject(Problem.builder(ProblemType.ACCESS_DENIED).detail(detail).with("rule", rule).build());
    }

    @Override
    public String name() {
        return "AccessControlPolicy";
    }
}
