/** The entry point: {@link io.aegis.gateway.AegisGateway} assembles a service's policy into a pipeline. */
package io.aegis.gateway;
