/**
 * API keys: the checksummed key format, HMAC hashing with a pepper, the in-memory and JDBC
 * (PostgreSQL) stores, the authenticator, rotation with a grace period, revocation broadcast,
 * usage accounting and administration. Entry point: {@link io.aegis.gateway.apikey.ApiKeys}. See
 * {@code docs/api-keys.md}.
 */
package io.aegis.gateway.apikey;
