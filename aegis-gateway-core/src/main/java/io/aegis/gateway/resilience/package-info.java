/**
 * Resilient service-to-service calls: the {@link io.aegis.gateway.resilience.ServiceClient} of each
 * upstream (timeouts, retries with a budget, circuit breakers per target, bulkhead, fallbacks,
 * load balancing with health checks and outlier ejection), the upstream settings of the policy
 * model ({@link io.aegis.gateway.resilience.UpstreamPolicy}), deadline and identity propagation
 * ({@link io.aegis.gateway.resilience.CallContext}, {@link io.aegis.gateway.resilience.DeadlinePolicy})
 * and the degradation contract. See {@code docs/resilience.md}.
 */
package io.aegis.gateway.resilience;
