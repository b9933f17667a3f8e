package io.aegis.examples.users;

import java.util.Set;

/**
 * A person's name as version 2 of the API gives it: given name and family name. The store keeps
 * one display name (what version 1 returns as {@code name}); this splits it and joins it back.
 *
 * <p>Rules (see docs/migrations/user-service-v1-to-v2.md): a Hangul name without spaces has its
 * family name first (one syllable, or two for the compound surnames such as 남궁 and 황보);
 * otherwise the last word is the family name and the words before it the given name; a single
 * word is a given name without family name ({@code null}).
 *
 * @param givenName never blank
 * @param familyName {@code null} for a person with a single name
 */
record PersonName(String givenName, String familyName) {

    private static final Set<String> COMPOUND_SURNAMES = Set.of("남궁", "황보", "제갈", "사공", "선우", "서문", "독고", "동방");

    /** Splits a display name. */
    static PersonName of(String displayName) {
        String n = displayName.strip();
        if (isHangul(n) && n.length() >= 2) {
            int family = n.length() >= 3 && COMPOUND_SURNAMES.contains(n.substring(0, 2)) ? 2 : 1;
            return new PersonName(n.substring(family), n.substring(0, family));
        }
        int space = lastSpace(n);
        if (space < 0) {
            return new PersonName(n, null);
        }
        return new PersonName(n.substring(0, space).strip(), n.substring(space + 1));
    }

    /** The display name the store keeps: family name first for Hangul names, last otherwise. */
    String displayName() {
        if (familyName == null || familyName.isBlank()) {
            return givenName.strip();
        }
        if (isHangul(givenName.strip()) && isHangul(familyName.strip())) {
            return familyName.strip() + givenName.strip();
        }
        return givenName.strip() + " " + familyName.strip();
    }

    private static int lastSpace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isHangul(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '\uAC00' || c > '\uD7A3') {
                return false;
            }
        }
        return true;
    }
}
