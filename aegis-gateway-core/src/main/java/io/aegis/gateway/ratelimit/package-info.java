/** Rate limits by tier: limits, rules, the policy, and local buckets (Bucket4j underneath). */
package io.aegis.gateway.ratelimit;
