package io.aegis.gateway.access;

import io.aegis.gateway.network.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses IP lists: one address or CIDR network a line, {@code #} starts a comment (whole line or
 * after an entry), blank lines ignored. The format of allow/deny files and threat-intelligence
 * feeds.
 */
public final class IpListParser {

    private IpListParser() {
    }

    /** The result of parsing: the networks, and the lines that were not addresses. */
    public record Result(List<Cidr> networks, List<String> invalid) {
    }

    /**
     * Parses a list, keeping at most {@code maxEntries} networks.
     *
     * @throws IllegalArgumentException when the list has more than {@code maxEntries} entries
     */
    public static Result parse(String text, int maxEntries) {
        List<Cidr> out = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n")) {
            lineNo++;
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (entry.isEmpty()) {
                continue;
            }
            // some feeds add fields after the address ("1.2.3.4 ; SBL123", "1.2.3.0/24\tspam")
            int cut = 0;
            while (cut < entry.length() && !Character.isWhitespace(entry.charAt(cut)) && entry.charAt(cut) != ';'
                    && entry.charAt(cut) != ',') {
                cut++;
            }
            entry = entry.substring(0, cut);
            try {
                out.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                if (invalid.size() < 20) {
                    invalid.add("line " + lineNo + ": " + (entry.length() > 60 ? entry.substring(0, 60) + "…" : entry));
                }
                continue;
            }
            if (out.size() > maxEntries) {
                throw new IllegalArgumentException("list: more than " + maxEntries + " entries (expected: at most "
                        + maxEntries + ")");
            }
        }
        return new Result(out, invalid);
    }
}
