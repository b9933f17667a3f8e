package io.aegis.examples.users;

import java.time.Instant;

/**
 * A user as the service stores it.
 *
 * @param id stable identifier, e.g. {@code u-1001}
 * @param name full display name
 * @param email contact e-mail (personal data: masked for callers without {@code pii:read})
 * @param phone phone number (personal data)
 * @param city city of residence
 * @param createdAt when the user was registered
 */
public record User(String id, String name, String email, String phone, String city, Instant createdAt) {
}
