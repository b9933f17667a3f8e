package io.aegis.gateway.masking;

import java.util.Objects;

/**
 * One piece of personal data or secret found in a text: its kind and where it is.
 *
 * @param detector what was found
 * @param start the index of its first character
 * @param end the index after its last character
 */
public record Finding(Detector detector, int start, int end) {

    public Finding {
        Objects.requireNonNull(detector, "detector");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span: [" + start + ", " + end + ") (expected: 0 <= start < end)");
        }
    }

    /** The found text within {@code text}. */
    public String in(CharSequence text) {
        return text.subSequence(start, end).toString();
    }
}
