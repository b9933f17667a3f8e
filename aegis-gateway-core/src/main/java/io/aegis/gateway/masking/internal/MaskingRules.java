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
    // One idle copier and one idle splicer per thread: a document takes one (or makes a new one
    // when another document of this thread holds it) and puts it back when done, so its position
    // cache of member names carries over to the next document of the same shape. A document
    // abandoned half-way never puts it back; the next one simply makes a new one.
    private final Idle<JsonCopier> idleCopier = new Idle<>();
    private final Idle<JsonSplicer> idleSplicer = new Idle<>();

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
        JsonCopier c = idleCopier.take();
        return c != null ? c : new JsonCopier(this);
    }

    /** Gives back a copier whose document is done (finished or failed). */
    public void done(JsonCopier c) {
        c.reset();
        idleCopier.put(c);
    }

    /** A splicer for one document held in memory: this thread's idle one if it has one, else a new one. */
    public JsonSplicer splicer() {
        JsonSplicer s = idleSplicer.take();
        return s != null ? s : new JsonSplicer(this);
    }

    /** Gives back a splicer whose document is done (written or failed). */
    public void done(JsonSplicer s) {
        s.reset();
        idleSplicer.put(s);
    }

    /** At most one idle object per thread, taken out while a document uses it. */
    private static final class Idle<T> extends ThreadLocal<T> {
        T take() {
            T t = get();
            if (t != null) {
                set(null);
            }
            return t;
        }

        void put(T t) {
            set(t);
        }
    }

    /** {@code true} when some values may be masked whole (by name or path). */
    public boolean masksValues() {
        return !names.isEmpty() || !paths.isEmpty();
    }
}
