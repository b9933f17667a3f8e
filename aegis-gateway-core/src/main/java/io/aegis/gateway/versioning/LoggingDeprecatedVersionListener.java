package io.aegis.gateway.versioning;

import io.aegis.gateway.versioning.spi.DeprecatedUse;
import io.aegis.gateway.versioning.spi.DeprecatedVersionListener;

/**
 * The default {@link DeprecatedVersionListener}: one warning per client, version and day in the
 * log (logger {@code io.aegis.gateway.versioning.LoggingDeprecatedVersionListener}), naming the
 * client, the version, the days left, the successor and the migration guide. Thread-safe.
 */
public final class LoggingDeprecatedVersionListener implements DeprecatedVersionListener {

    private static final System.Logger LOG = System.getLogger(LoggingDeprecatedVersionListener.class.getName());

    @Override
    public void onDeprecatedUse(DeprecatedUse use) {
        LOG.log(System.Logger.Level.WARNING, "client " + use.client() + " still calls API version " + use.version()
                + " (" + use.route() + "), which is sunset in " + use.daysToSunset() + " day(s) on " + use.sunset()
                + (use.successor() == null ? "" : "; successor " + use.successor())
                + (use.migrationGuide() == null ? "" : "; migration guide " + use.migrationGuide()));
    }
}
