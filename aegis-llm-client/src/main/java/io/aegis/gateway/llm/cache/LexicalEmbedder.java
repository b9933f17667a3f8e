package io.aegis.gateway.llm.cache;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A built-in embedder without a model: words and word pairs of the NFKC-normalised, lower-cased
 * text hashed into 1,024 dimensions and L2-normalised. It matches near-duplicates — case,
 * punctuation, spacing, full-width letters, a word more or less — not paraphrases with other words.
 * Thread-safe.
 */
public final class LexicalEmbedder implements Embedder {

    private static final int DIMENSIONS = 1024;

    /** The words of a text: letters and digits runs, NFKC, lower case. */
    static List<String> words(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        n.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c)) {
                w.appendCodePoint(c);
            } else if (Character.getType(c) != Character.FORMAT && w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        });
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    @Override
    public float[] embed(String text) {
        float[] v = new float[DIMENSIONS];
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            add(v, words.get(i), 1f);
            if (i > 0) {
                add(v, words.get(i - 1) + " " + words.get(i), 0.5f);
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    private static void add(float[] v, String feature, float weight) {
        int h = feature.hashCode() * 0x9E3779B9;
        v[Math.floorMod(h, DIMENSIONS)] += (h & 0x10000) == 0 ? weight : -weight;
    }
}
