/** JWT bearer tokens: settings, key sources and the verifying authenticator (JJWT underneath). */
package io.aegis.gateway.auth.jwt;
