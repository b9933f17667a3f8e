/**
 * Service-provider interfaces of quotas: where counts live
 * ({@link io.aegis.gateway.quota.spi.QuotaStore}) and who hears threshold alerts
 * ({@link io.aegis.gateway.quota.spi.QuotaAlertListener}, also found with {@link java.util.ServiceLoader}).
 */
package io.aegis.gateway.quota.spi;
