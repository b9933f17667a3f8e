package io.aegis.gateway.policy;

/** A kind of credential a route accepts. A route lists the schemes it accepts in the order they are tried. */
public enum AuthScheme {
    /** A JWT bearer token ({@code Authorization: Bearer}), verified locally. */
    JWT,
    /** An opaque bearer token, verified by RFC 7662 introspection. */
    OPAQUE_TOKEN,
    /** An API key header. */
    API_KEY
}
