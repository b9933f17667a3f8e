/**
 * Internals of outbound calls: circuit breakers, retry budgets, target pools and load balancers,
 * health checking, metrics. May change at any time; not part of the API.
 */
package io.aegis.gateway.resilience.internal;
