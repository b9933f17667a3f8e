package io.aegis.gateway.oauth.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aegis.gateway.oauth.ClientAuthentication;
import io.aegis.gateway.oauth.OAuthException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Form POSTs to OAuth endpoints with client authentication, and their JSON answers. */
public final class OAuthHttp {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int MAX_BODY = 64 * 1024;

    /** An answer: status and parsed JSON object (empty when the body was not a JSON object). */
    public record Answer(int status, Map<String, Object> body, boolean json) {
    }

    private OAuthHttp() {
    }

    /** A client with a connect timeout and no redirects (token endpoints must not redirect). */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * POSTs a form with client authentication.
     *
     * @throws OAuthException {@code temporarily_unavailable} on transport failure or timeout
     */
    public static Answer post(HttpClient http, URI endpoint, ClientAuthentication auth, String clientId, String clientSecret,
                              Map<String, String> form, Duration timeout) {
        Map<String, String> params = new LinkedHashMap<>(form);
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        switch (auth) {
            case CLIENT_SECRET_BASIC -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(clientId) + ":" + encode(clientSecret == null ? "" : clientSecret)).getBytes(StandardCharsets.UTF_8)));
            case CLIENT_SECRET_POST -> {
                params.put("client_id", clientId);
                params.put("client_secret", clientSecret == null ? "" : clientSecret);
            }
            case NONE -> params.put("client_id", clientId);
            default -> throw new IllegalStateException(auth.name());
        }
        b.POST(HttpRequest.BodyPublishers.ofString(form(params)));
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new OAuthException("temporarily_unavailable", "no answer from " + endpoint + " within " + timeout, 0, e);
        } catch (IOException e) {
            throw new OAuthException("temporarily_unavailable", "cannot reach " + endpoint + ": " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("temporarily_unavailable", "interrupted while calling " + endpoint, 0, e);
        }
        byte[] body = r.body();
        if (body.length > MAX_BODY) {
            return new Answer(r.statusCode(), Map.of(), false);
        }
        try {
            Map<String, Object> m = JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
            return new Answer(r.statusCode(), m == null ? Map.of() : m, m != null);
        } catch (IOException e) {
            return new Answer(r.statusCode(), Map.of(), false);
        }
    }

    /** Throws the error of a token-endpoint answer that is not a success (RFC 6749 §5.2). */
    public static void requireSuccess(Answer a, URI endpoint) {
        if (a.status() == 200 && a.json()) {
            return;
        }
        if (a.json() && a.body().get("error") instanceof String error) {
            Object d = a.body().get("error_description");
            throw new OAuthException(error, d instanceof String s ? s : null, a.status());
        }
        if (a.status() >= 500 || a.status() == 429) {
            throw new OAuthException("temporarily_unavailable", endpoint + " answered " + a.status(), a.status());
        }
        throw new OAuthException("invalid_response", endpoint + " answered " + a.status()
                + (a.json() ? " without an error code" : " with a body that is not JSON"), a.status());
    }

    /** {@code application/x-www-form-urlencoded}. */
    public static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        }
        return sb.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
