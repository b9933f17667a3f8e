package io.aegis.gateway.apikey.spi;

/**
 * The store cannot answer (database down, timeout, broken schema). Requests whose key is not in
 * the cache are then answered 503 (fail closed); administration calls fail with this exception.
 */
public final class ApiKeyStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ApiKeyStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ApiKeyStoreException(String message) {
        super(message);
    }
}
