package io.aegis.gateway.testing;

import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test fixture: a listener that keeps every event it is given. Thread-safe. */
public final class EventRecorder implements GatewayEventListener {

    private final List<GatewayEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(GatewayEvent event) {
        events.add(event);
    }

    public List<GatewayEvent> all() {
        return List.copyOf(events);
    }

    /** The events of one type, in order. */
    public List<GatewayEvent> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    public void clear() {
        events.clear();
    }
}
