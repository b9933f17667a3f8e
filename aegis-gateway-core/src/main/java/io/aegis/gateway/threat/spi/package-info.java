/** The ban store SPI: in memory by default, Redis to share bans across replicas. */
package io.aegis.gateway.threat.spi;
