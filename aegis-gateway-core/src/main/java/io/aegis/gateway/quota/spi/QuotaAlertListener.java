package io.aegis.gateway.quota.spi;

import io.aegis.gateway.quota.QuotaAlert;

/**
 * Hears quota threshold alerts (default thresholds 80 % and 100 %). Register with
 * {@link io.aegis.gateway.quota.QuotaService#addAlertListener}, or list the implementation in
 * {@code META-INF/services/io.aegis.gateway.quota.spi.QuotaAlertListener}. Called on the request
 * thread that crossed the threshold: keep it quick. Exceptions are logged and ignored.
 */
@FunctionalInterface
public interface QuotaAlertListener {
    void onAlert(QuotaAlert alert);
}
