/** Health checks reported in the MicroProfile Health JSON format. */
package io.aegis.gateway.health;
