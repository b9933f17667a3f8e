/** Client addresses: IP literals without DNS, CIDR networks, trusted proxies. */
package io.aegis.gateway.network;
