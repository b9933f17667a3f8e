/** Extension points of access control: where countries come from. */
package io.aegis.gateway.access.spi;
