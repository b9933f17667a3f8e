/** The service provider interface of outbound calls: credentials a service presents on its own behalf. */
package io.aegis.gateway.resilience.spi;
