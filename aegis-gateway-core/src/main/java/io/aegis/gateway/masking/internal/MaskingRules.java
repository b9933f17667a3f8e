package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import io.aegis.gateway.masking.Detector;
import io.aegis.gateway.masking.MaskingPolicy;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link MaskingPolicy} compiled for the copier: the name set, the path automaton, the detector bits. */
public final class MaskingRules {

    /**
     * The detectors that choose the format of a value masked whole: those with a format that keeps
     * a useful part, and JWTs. Secrets need no detection there: the generic mask hides them.
     */
    static final int WHOLE_VALUE_DETECTORS = Scanner.bits(EnumSet.of(Detector.EMAIL, Detector.PHONE,
            Detector.RESIDENT_ID, Detector.CARD, Detector.BANK_ACCOUNT, Detector.IP, Detector.JWT));

    private static final int MAX_ENCODED_NAMES = 4096;

    private final NameSet names;
    // Member names pre-encoded for the generator, shared by the documents of this policy; bounded
    // so that documents with ever new names cannot grow it (they take the slow path).
    private final ConcurrentHashMap<String, Name> encoded = new ConcurrentHashMap<>();
    private final JsonPaths paths;
    private final int scanBits;
    // Per thread, the idle copier and splicer of the last few rule sets used on it: a document takes
    // one (or makes a new one when another document of this thread holds it) and puts it back when
    // done, so its position cache of member names carries over to the next document of the same
    // shape. Static and bounded: a ThreadLocal owned by each rule set would keep every rule set a
    // thread ever used (configuration reloads make new ones) alive for the thread's life.
    private static final ThreadLocal<Idle> IDLE = ThreadLocal.withInitial(Idle::new);

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

    /** A member name pre-encoded for the generator, and whether it is a masked field. */
    record Name(SerializedString encoded, boolean masked) {
    }

    /** The member name pre-encoded for the generator, with its field match. */
    Name name(String name) {
        Name n = encoded.get(name);
        if (n == null) {
            n = new Name(new SerializedString(name), !names.isEmpty() && names.contains(name));
            if (encoded.size() < MAX_ENCODED_NAMES) {
                encoded.putIfAbsent(name, n);
            }
        }
        return n;
    }

    /** A copier for one document: this thread's idle one if it has one, else a new one. */
    public JsonCopier copier() {
        Idle idle = IDLE.get();
        int k = idle.slot(this, false);
        JsonCopier c = k < 0 ? null : idle.copiers[k];
        if (c == null) {
            return new JsonCopier(this);
        }
        idle.copiers[k] = null;
        return c;
    }

    /** Gives back a copier whose document is done (finished or failed). */
    public void done(JsonCopier c) {
        c.reset();
        Idle idle = IDLE.get();
        idle.copiers[idle.slot(this, true)] = c;
    }

    /** A splicer for one document held in memory: this thread's idle one if it has one, else a new one. */
    public JsonSplicer splicer() {
        Idle idle = IDLE.get();
        int k = idle.slot(this, false);
        JsonSplicer s = k < 0 ? null : idle.splicers[k];
        if (s == null) {
            return new JsonSplicer(this);
        }
        idle.splicers[k] = null;
        return s;
    }

    /** Gives back a splicer whose document is done (written or failed). */
    public void done(JsonSplicer s) {
        s.reset();
        Idle idle = IDLE.get();
        idle.splicers[idle.slot(this, true)] = s;
    }

    /** One thread's idle copiers and splicers, for at most {@value #SLOTS} rule sets. */
    private static final class Idle {
        static final int SLOTS = 4;
        final MaskingRules[] rules = new MaskingRules[SLOTS];
        final JsonCopier[] copiers = new JsonCopier[SLOTS];
        final JsonSplicer[] splicers = new JsonSplicer[SLOTS];
        int next;

        /** The slot of {@code r}; with {@code claim}, a slot made for it (the oldest one) when it has none. */
        int slot(MaskingRules r, boolean claim) {
            for (int k = 0; k < SLOTS; k++) {
                if (rules[k] == r) {
                    return k;
                }
            }
            if (!claim) {
                return -1;
            }
            int k = next;
            next = (next + 1) % SLOTS;
            rules[k] = r;
            copiers[k] = null;
            splicers[k] = null;
            return k;
        }
    }

    /** {@code true} when some values may be masked whole (by name or path). */
    public boolean masksValues() {
        return !names.isEmpty() || !paths.isEmpty();
    }
}
