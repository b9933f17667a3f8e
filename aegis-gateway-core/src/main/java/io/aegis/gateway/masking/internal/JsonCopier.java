package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Copies one JSON token stream from a parser to a generator, masking as the rules say: a single
 * pass with the Jackson streaming API, no tree, no allocation per token except for values that
 * are actually masked. Works with blocking and non-blocking parsers alike (the caller feeds it
 * one token at a time). Used where the document streams; a document held whole in memory goes
 * through the cheaper {@link JsonSplicer}.
 *
 * <p>Not thread-safe: one document at a time ({@link MaskingRules#copier()} lends them out and
 * {@link MaskingRules#done(JsonCopier)} takes them back, reset, so the name cache by position
 * carries over).
 */
public final class JsonCopier {

    private final MaskingCursor cursor;

    JsonCopier(MaskingRules rules) {
        this.cursor = new MaskingCursor(rules);
    }

    /** Forgets the document, keeping the caches of member names. */
    void reset() {
        cursor.reset();
    }

    /** Copies every token of a blocking parser. */
    public void copyAll(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            copy(t, p, g);
        }
    }

    /** Copies the current token {@code t} of {@code p}. */
    public void copy(JsonToken t, JsonParser p, JsonGenerator g) throws IOException {
        switch (t) {
            case FIELD_NAME -> g.writeFieldName(cursor.member(p.currentName()).encoded());
            case START_OBJECT -> {
                cursor.open(false);
                g.writeStartObject();
            }
            case START_ARRAY -> {
                cursor.open(true);
                g.writeStartArray();
            }
            case END_OBJECT -> {
                g.writeEndObject();
                cursor.close();
            }
            case END_ARRAY -> {
                g.writeEndArray();
                cursor.close();
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                CharSink r = cursor.replacement(t, p);
                if (r != null) {
                    g.writeString(r.chars(), 0, r.length());
                } else if (t == JsonToken.VALUE_STRING) {
                    g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                } else {
                    g.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                }
            }
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                cursor.replacement(t, p);
                g.copyCurrentEvent(p);
            }
            default -> g.copyCurrentEvent(p);
        }
    }

    /** {@code true} once a complete root value was copied and no container is open. */
    public boolean atRoot() {
        return cursor.atRoot();
    }
}
