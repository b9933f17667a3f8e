package io.aegis.gateway.versioning.internal;

import java.util.Locale;

/** Reads the {@code version} parameter of one media type out of an {@code Accept} or {@code Content-Type} value. */
public final class MediaTypes {

    /** Longer header values are read only this far: a version parameter never needs more. */
    static final int MAX_SCAN = 4096;

    private MediaTypes() {
    }

    /**
     * The value of the {@code version} parameter of the first media range of type {@code mediaType}
     * (case-insensitive), quoted-string or token; {@code null} when there is none.
     *
     * @param value a header value: comma-separated media ranges with {@code ;}-separated parameters
     * @param mediaType lower-case {@code type/subtype}
     */
    public static String versionParameter(String value, String mediaType) {
        if (value == null) {
            return null;
        }
        int end = Math.min(value.length(), MAX_SCAN);
        int i = 0;
        while (i < end) {
            // media range: up to ';' or ','
            int typeStart = i;
            while (i < end && value.charAt(i) != ';' && value.charAt(i) != ',') {
                i++;
            }
            boolean match = value.substring(typeStart, i).trim().toLowerCase(Locale.ROOT).equals(mediaType);
            String found = null;
            while (i < end && value.charAt(i) == ';') {
                i++;
                int nameStart = i;
                while (i < end && value.charAt(i) != '=' && value.charAt(i) != ';' && value.charAt(i) != ',') {
                    i++;
                }
                String name = value.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
                String param = null;
                if (i < end && value.charAt(i) == '=') {
                    i++;
                    while (i < end && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                        i++;
                    }
                    if (i < end && value.charAt(i) == '"') {
                        StringBuilder sb = new StringBuilder();
                        i++;
                        while (i < end && value.charAt(i) != '"') {
                            if (value.charAt(i) == '\\' && i + 1 < end) {
                                i++;
                            }
                            sb.append(value.charAt(i));
                            i++;
                        }
                        i = Math.min(end, i + 1);
                        param = sb.toString();
                        while (i < end && value.charAt(i) != ';' && value.charAt(i) != ',') {
                            i++;
                        }
                    } else {
                        int vs = i;
                        while (i < end && value.charAt(i) != ';' && value.charAt(i) != ',') {
                            i++;
                        }
                        param = value.substring(vs, i).trim();
                    }
                }
                if (match && found == null && name.equals("version") && param != null) {
                    found = param;
                }
            }
            if (found != null) {
                return found;
            }
            if (i < end && value.charAt(i) == ',') {
                i++;
            }
        }
        return null;
    }
}
