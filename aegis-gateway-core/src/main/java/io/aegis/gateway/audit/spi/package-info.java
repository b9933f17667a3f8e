/** The audit sink SPI. */
package io.aegis.gateway.audit.spi;
