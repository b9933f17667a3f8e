/** Configuration: typed, validated reads of MicroProfile Config into the policy model. */
package io.aegis.gateway.config;
