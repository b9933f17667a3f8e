package io.aegis.gateway.llm.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body subscriber that keeps at most {@code limit} bytes: a hostile or broken server cannot make
 * the client buffer an unbounded body. Past the limit it cancels and completes with what it has,
 * marked by {@link #TRUNCATED} being appended (for error bodies) or fails (for answers).
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** Appended to a truncated error body. */
    public static final String TRUNCATED = "…(truncated)";

    private final int limit;
    private final boolean failWhenTooLarge;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    public BoundedBody(int limit, boolean failWhenTooLarge) {
        this.limit = limit;
        this.failWhenTooLarge = failWhenTooLarge;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (out.size() + n > limit) {
                subscription.cancel();
                if (failWhenTooLarge) {
                    result.completeExceptionally(new IllegalStateException("response body larger than " + limit + " bytes"));
                } else {
                    byte[] part = new byte[limit - out.size()];
                    b.get(part);
                    out.writeBytes(part);
                    out.writeBytes(TRUNCATED.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    result.complete(out.toByteArray());
                }
                return;
            }
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
