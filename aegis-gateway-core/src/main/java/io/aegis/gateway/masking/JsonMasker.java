package io.aegis.gateway.masking;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import io.aegis.gateway.masking.internal.JsonCopier;
import io.aegis.gateway.masking.internal.JsonSplicer;
import io.aegis.gateway.masking.internal.MaskingRules;
import io.aegis.gateway.masking.internal.NonBlockingJsonStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Masks JSON documents as a {@link MaskingPolicy} says, with Jackson's streaming parser (never a
 * tree): members by name or path, other strings by detector.
 *
 * <p>A UTF-8 document held in memory ({@link #mask(byte[])}, {@link #mask(String)}, and what
 * {@link #stream} holds) keeps every byte but the masked values: structure, member order,
 * whitespace, numbers and the escapes of unmasked strings come out as they went in. A document
 * that streams ({@link #mask(InputStream, OutputStream)}, {@link #mask(Reader, Writer)}, a long
 * {@link #stream}, JSON in UTF-16 or UTF-32) is re-serialised by a generator as it is read:
 * the same values, compact, several root values (JSON lines) one per line.
 *
 * <p>Compiled once per policy (names into a case-insensitive hash set, paths into an automaton);
 * immutable and thread-safe.
 */
public final class JsonMasker {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final SerializedString ROOT_SEPARATOR = new SerializedString("\n");

    private final MaskingPolicy policy;
    private final MaskingRules rules;

    private JsonMasker(MaskingPolicy policy) {
        this.policy = policy;
        this.rules = new MaskingRules(policy);
    }

    /** A masker for this policy. */
    public static JsonMasker of(MaskingPolicy policy) {
        return new JsonMasker(Objects.requireNonNull(policy, "policy"));
    }

    public MaskingPolicy policy() {
        return policy;
    }

    /**
     * Masks a document read from {@code in} (UTF-8, UTF-16 or UTF-32, detected) into {@code out}
     * as UTF-8. Neither stream is closed.
     *
     * @throws IOException when {@code in} is not valid JSON or a stream fails
     */
    public void mask(InputStream in, OutputStream out) throws IOException {
        try (JsonParser p = JSON.createParser(in); JsonGenerator g = generator(JSON.createGenerator(out))) {
            copy(p, g);
        }
    }

    /** Masks a document read from {@code in} into {@code out}; neither is closed. */
    public void mask(Reader in, Writer out) throws IOException {
        try (JsonParser p = JSON.createParser(in); JsonGenerator g = generator(JSON.createGenerator(out))) {
            copy(p, g);
        }
    }

    /**
     * Masks a document held in memory.
     *
     * @throws IOException when it is not valid JSON
     */
    public byte[] mask(byte[] json) throws IOException {
        if (JsonSplicer.utf8(json, json.length)) {
            return splice(json);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
        try (JsonParser p = JSON.createParser(json); JsonGenerator g = generator(JSON.createGenerator(out))) {
            copy(p, g);
        }
        return out.toByteArray();
    }

    /**
     * Masks a document held in a string.
     *
     * @throws IllegalArgumentException when it is not valid JSON
     */
    public String mask(String json) {
        byte[] bytes;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(json));
            bytes = Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("json: not a valid JSON document (an unpaired surrogate)", e);
        }
        try {
            return new String(splice(bytes), StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("json: not a valid JSON document (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("json: not a valid JSON document (" + e.getMessage() + ")", e);
        }
    }

    /** A UTF-8 document held in memory, masked by splicing. */
    private byte[] splice(byte[] json) throws IOException {
        JsonSplicer s = rules.splicer();
        try {
            s.plan(JSON, json, json.length);
            return s.toByteArray(json, json.length);
        } finally {
            rules.done(s);
        }
    }

    /**
     * A stream that masks UTF-8 JSON written to it and writes the result to {@code out}: a body
     * that ends within the first 128 KiB is masked in one pass when it is finished (its bytes kept
     * but for the masked values); a longer one as it goes (non-blocking parsing, re-serialised:
     * memory bounded by the chunk and the longest token).
     */
    public MaskingOutputStream stream(OutputStream out) {
        return stream(out, null);
    }

    /**
     * As {@link #stream(OutputStream)}; {@code length} (may be {@code null}) is told the masked
     * length of a body masked in one pass, before it is written, so that the adapter can send it
     * with a {@code Content-Length}.
     */
    public MaskingOutputStream stream(OutputStream out, LongConsumer length) {
        return new NonBlockingJsonStream(JSON, rules, Objects.requireNonNull(out, "out"), length);
    }

    private void copy(JsonParser p, JsonGenerator g) throws IOException {
        JsonCopier c = rules.copier();
        try {
            c.copyAll(p, g);
        } finally {
            rules.done(c);
        }
    }

    private static JsonGenerator generator(JsonGenerator g) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(ROOT_SEPARATOR);
        return g;
    }

    @Override
    public String toString() {
        return "JsonMasker[" + policy + "]";
    }
}
