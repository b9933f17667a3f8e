/**
 * Personal data masking and output encoding: {@link io.aegis.gateway.masking.Detector detectors}
 * for e-mail addresses, phone numbers, Korean resident registration numbers, card numbers,
 * bank-account-like numbers, IP addresses, JWTs and secrets; the {@link io.aegis.gateway.masking.PiiScanner}
 * and {@link io.aegis.gateway.masking.LogSanitizer} over free text; the streaming
 * {@link io.aegis.gateway.masking.JsonMasker} that masks responses by field name, path and detector
 * as a route's {@link io.aegis.gateway.masking.MaskingPolicy} says, unless the caller holds the
 * exempt scope ({@code pii:read}); and {@link io.aegis.gateway.masking.OutputEncoding} for text
 * reflected into HTML.
 */
package io.aegis.gateway.masking;
