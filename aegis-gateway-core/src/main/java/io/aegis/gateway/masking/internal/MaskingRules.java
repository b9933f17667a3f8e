package io.aegis.gateway.masking.internal;

import io.aegis.gateway.masking.Detector;
import io.aegis.gateway.masking.MaskingPolicy;
import java.util.EnumSet;

/** A {@link MaskingPolicy} compiled for the copier: the name set, the path automaton, the detector bits. */
public final class MaskingRules {

    /**
     * The detectors that choose the format of a value masked whole: those with a format that keeps
     * a useful part, and JWTs. Secrets need no detection there: the generic mask hides them.
     */
    static final int WHOLE_VALUE_DETECTORS = Scanner.bits(EnumSet.of(Detector.EMAIL, Detector.PHONE,
            Detector.RESIDENT_ID, Detector.CARD, Detector.BANK_ACCOUNT, Detector.IP, Detector.JWT));

    private final NameSet names;
    private final JsonPaths paths;
    private final int scanBits;

    public MaskingRules(MaskingPolicy policy) {
        this.names = new NameSet(policy.fields());
        this.paths = JsonPaths.compile(policy.paths());
        this.scanBits = Scanner.bits(policy.detectors());
    }

    public NameSet names() {
        return names;
    }

    public JsonPaths paths() {
        return paths;
    }

    public int scanBits() {
        return scanBits;
    }

    /** {@code true} when some values may be masked whole (by name or path). */
    public boolean masksValues() {
        return !names.isEmpty() || !paths.isEmpty();
    }
}
