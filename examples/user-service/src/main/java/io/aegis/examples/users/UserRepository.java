package io.aegis.examples.users;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory users, seeded with realistic people. Thread-safe. */
public final class UserRepository {

    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1001);

    /** A repository with the demo users. */
    public static UserRepository seeded() {
        UserRepository r = new UserRepository();
        Instant t = Instant.parse("2025-03-14T09:26:53Z");
        r.add("Ada Lovelace", "ada.lovelace@example.com", "+44 20 7946 0018", "London", t);
        r.add("Grace Hopper", "grace.hopper@example.org", "+1 202 555 0147", "Arlington", t.plusSeconds(86_400));
        r.add("김민준", "minjun.kim@example.kr", "010-2345-6789", "서울", t.plusSeconds(2 * 86_400));
        r.add("이서연", "seoyeon.lee@example.kr", "+82 10 9876 5432", "부산", t.plusSeconds(3 * 86_400));
        r.add("Seán O'Brien", "sean.obrien@example.ie", "+353 1 555 0199", "Dublin", t.plusSeconds(4 * 86_400));
        r.add("Amara Okafor", "amara.okafor@example.ng", "+234 802 555 0132", "Lagos", t.plusSeconds(5 * 86_400));
        r.add("José Álvarez", "jose.alvarez@example.es", "+34 612 555 019", "Sevilla", t.plusSeconds(6 * 86_400));
        r.add("박지훈", "jihoon.park@example.kr", "02-555-0123", "인천", t.plusSeconds(7 * 86_400));
        r.add("Priya Raman", "priya.raman@example.in", "+91 98765 43210", "Chennai", t.plusSeconds(8 * 86_400));
        r.add("Lukas Müller", "lukas.mueller@example.de", "+49 30 5550 1234", "Berlin", t.plusSeconds(9 * 86_400));
        return r;
    }

    private User add(String name, String email, String phone, String city, Instant at) {
        User u = new User("u-" + next.getAndIncrement(), name, email, phone, city, at);
        users.put(u.id(), u);
        return u;
    }

    public Optional<User> find(String id) {
        return Optional.ofNullable(users.get(id));
    }

    /** Users whose name, e-mail or city contains the text (case-insensitive), by id, at most {@code limit}. */
    public List<User> search(String text, int limit) {
        String q = text == null ? "" : text.toLowerCase(Locale.ROOT);
        List<User> out = new ArrayList<>();
        users.values().stream()
                .filter(u -> q.isEmpty() || u.name().toLowerCase(Locale.ROOT).contains(q)
                        || u.email().toLowerCase(Locale.ROOT).contains(q) || u.city().toLowerCase(Locale.ROOT).contains(q))
                .sorted((a, b) -> Integer.compare(number(a.id()), number(b.id())))
                .limit(limit)
                .forEach(out::add);
        return out;
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(2));
    }

    /** Registers a user; {@code null} when the e-mail is taken. */
    public synchronized User create(String name, String email, String phone, String city) {
        boolean taken = users.values().stream().anyMatch(u -> u.email().equalsIgnoreCase(email));
        if (taken) {
            return null;
        }
        return add(name, email, phone, city, Instant.now());
    }

    public Collection<User> all() {
        return users.values();
    }
}
