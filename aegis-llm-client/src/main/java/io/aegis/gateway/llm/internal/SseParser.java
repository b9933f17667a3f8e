package io.aegis.gateway.llm.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A server-sent events parser after the WHATWG HTML "event stream interpretation": LF, CRLF and
 * CR line ends; {@code field: value} with or without the space after the colon; multi-line
 * {@code data} joined with LF; comment lines ({@code :...}) ignored; {@code id}, {@code retry} and
 * unknown fields accepted and ignored; an event dispatched at a blank line when it has data.
 * An event not terminated by a blank line when the input ends is discarded (it may be cut short),
 * which {@link #hasPendingEvent()} reports. Not thread-safe.
 */
public final class SseParser {

    /**
     * One event.
     *
     * @param event the event type, {@code message} when none was named
     * @param data the data lines joined with LF
     */
    public record Event(String event, String data) {
    }

    private final LineSplitter lines;
    private final Consumer<Event> onEvent;
    private final StringBuilder data = new StringBuilder();
    private String eventType;
    private boolean hasData;
    private boolean pending;

    public SseParser(int maxLineBytes, Consumer<Event> onEvent) {
        this.onEvent = onEvent;
        this.lines = new LineSplitter(maxLineBytes, this::line);
    }

    public void feed(ByteBuffer chunk) {
        lines.feed(chunk);
    }

    public void feed(byte[] bytes) {
        lines.feed(bytes);
    }

    /** Whether an event (or part of one) was read but not yet terminated by a blank line. */
    public boolean hasPendingEvent() {
        return pending || lines.hasPartialLine();
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (hasData) {
                String d = data.toString();
                String type = eventType == null || eventType.isEmpty() ? "message" : eventType;
                reset();
                onEvent.accept(new Event(type, d));
            } else {
                reset();
            }
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        pending = true;
        int colon = line.indexOf(':');
        String field;
        String value;
        if (colon < 0) {
            field = line;
            value = "";
        } else {
            field = line.substring(0, colon);
            int start = colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            value = line.substring(start);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> eventType = value;
            default -> {
                // id, retry and unknown fields carry nothing the client needs
            }
        }
    }

    private void reset() {
        data.setLength(0);
        eventType = null;
        hasData = false;
        pending = false;
    }
}
