package io.aegis.gateway.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * What a stream does when its provider fails after the first token was produced. Before the first
 * token, failover to the next candidate is always transparent. After it, one of:
 *
 * <ul>
 *   <li>{@link Mode#FAIL} (the default): the stream ends with a {@link StreamEvent.Failed} event
 *       and {@code onError} carrying an {@link IncompleteResponseException} with the partial text;
 *       never a silent success.</li>
 *   <li>{@link Mode#BUFFERED_RESTART}: the first {@code bufferTokens} deltas (or {@code bufferTime},
 *       whichever comes first) are held back; a failure while they are held restarts the call on
 *       the next candidate and the subscriber never sees the lost text. Once released, a later
 *       failure behaves as {@code FAIL}.</li>
 *   <li>{@link Mode#PREFILL}: the next candidate that supports assistant prefill (Anthropic,
 *       TGI, the echo provider) is asked to continue the partial text; its deltas follow the
 *       ones already delivered. Without such a candidate, behaves as {@code FAIL}.</li>
 * </ul>
 *
 * <p>A stream that has started a tool call is never resumed, whatever the mode: it fails.
 *
 * @param mode the mode
 * @param bufferTokens deltas held back in {@code BUFFERED_RESTART} mode
 * @param bufferTime longest time deltas are held back in {@code BUFFERED_RESTART} mode
 */
public record MidStreamPolicy(Mode mode, int bufferTokens, Duration bufferTime) {

    /** The modes. */
    public enum Mode { FAIL, BUFFERED_RESTART, PREFILL }

    public MidStreamPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(bufferTime, "bufferTime");
        if (bufferTokens < 0) {
            throw new IllegalArgumentException("bufferTokens: " + bufferTokens + " (expected: >= 0)");
        }
        if (bufferTime.isNegative()) {
            throw new IllegalArgumentException("bufferTime: " + bufferTime + " (expected: >= 0)");
        }
    }

    /** Fail with a typed incomplete-response error (the default). */
    public static MidStreamPolicy fail() {
        return new MidStreamPolicy(Mode.FAIL, 0, Duration.ZERO);
    }

    /** Hold back the first {@code tokens} deltas or {@code time}, whichever ends first, so a restart stays invisible. */
    public static MidStreamPolicy bufferedRestart(int tokens, Duration time) {
        return new MidStreamPolicy(Mode.BUFFERED_RESTART, tokens, time);
    }

    /** Continue the partial text on a candidate that supports prefill. */
    public static MidStreamPolicy prefill() {
        return new MidStreamPolicy(Mode.PREFILL, 0, Duration.ZERO);
    }
}
