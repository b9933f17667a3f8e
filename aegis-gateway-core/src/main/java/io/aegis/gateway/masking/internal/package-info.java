/**
 * Internal implementation of masking: the hand-written scanners, mask formats and the streaming
 * JSON copier. Not API: it may change at any time without notice.
 */
package io.aegis.gateway.masking.internal;
