/**
 * The web application firewall: {@link io.aegis.gateway.waf.ThreatDetector} (SQL injection, XSS,
 * path traversal, command injection, LDAP injection, SSRF, by grammar rather than by sample
 * strings), {@link io.aegis.gateway.waf.WafPolicy} (the pipeline stage that inspects path, query,
 * headers, cookies and bodies), and their settings and exclusions.
 */
package io.aegis.gateway.waf;
