/**
 * Tiered quotas: daily and monthly request budgets per tier and per caller (API key, tenant,
 * user), calendar-aligned in a configured time zone, with per-caller overrides changeable at run
 * time, usage readable through {@link io.aegis.gateway.quota.QuotaService}, and threshold alerts
 * fired exactly once per caller and period. Counts live in Redis (shared by replicas) or in memory.
 */
package io.aegis.gateway.quota;
