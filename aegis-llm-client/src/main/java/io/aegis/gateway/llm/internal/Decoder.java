package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmResponse;
import java.nio.ByteBuffer;

/**
 * Turns one provider's stream bytes into events through an {@link Accumulator}. {@link #feed} may
 * throw an {@link LlmException} for an in-band error frame. Not thread-safe (one stream).
 */
public abstract class Decoder {

    protected final Accumulator acc;
    protected final String provider;
    protected final String model;
    private boolean finished;

    protected Decoder(Accumulator acc, String provider, String model) {
        this.acc = acc;
        this.provider = provider;
        this.model = model;
    }

    /** Feeds network bytes. */
    public abstract void feed(ByteBuffer chunk);

    /** Whether the provider's end marker was read. */
    public final boolean finished() {
        return finished;
    }

    protected final void markFinished() {
        finished = true;
    }

    /** Whether the end of the body, after the model reported a finish reason, also counts as the end. */
    protected boolean finishReasonEndsStream() {
        return false;
    }

    /**
     * The end of the body: the answer when the stream was complete.
     *
     * @throws LlmException {@code STREAM_INTERRUPTED} when the end marker never came
     */
    public final LlmResponse end() {
        if (!finished && !(finishReasonEndsStream() && acc.finishReason() != null)) {
            throw new LlmException(LlmErrorKind.STREAM_INTERRUPTED, provider + "/" + model
                    + ": stream ended before its end marker" + (acc.started() ? " after partial output" : ""),
                    provider, model, 0, null, null, null, null);
        }
        return acc.done(provider, model);
    }

    public Accumulator accumulator() {
        return acc;
    }

    /** An error frame inside a 200 stream. */
    protected LlmException inBand(LlmErrorKind kind, String code, String message) {
        return new LlmException(kind, provider + "/" + model + ": error in stream" + (code == null ? "" : " (" + code + ")")
                + ": " + Errors.brief(message), provider, model, 0, code, null, null, null);
    }
}
