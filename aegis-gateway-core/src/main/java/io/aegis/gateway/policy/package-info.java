/** The policy model: a service, its routes and what each requires. Every projection reads it. */
package io.aegis.gateway.policy;
