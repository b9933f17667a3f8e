package io.aegis.gateway.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Dispatches {@link GatewayEvent}s to listeners. Listener exceptions are logged and ignored.
 * Thread-safe; listeners may be added at any time.
 */
public final class GatewayEvents {

    private static final System.Logger LOG = System.getLogger(GatewayEvents.class.getName());
    private static final GatewayEvents NONE = new GatewayEvents(true);

    private final List<GatewayEventListener> listeners = new CopyOnWriteArrayList<>();
    private final boolean frozen;

    private GatewayEvents(boolean frozen) {
        this.frozen = frozen;
    }

    public GatewayEvents() {
        this(false);
    }

    /** A sink that drops every event. */
    public static GatewayEvents none() {
        return NONE;
    }

    public GatewayEvents addListener(GatewayEventListener listener) {
        if (frozen) {
            throw new IllegalStateException("GatewayEvents.none() takes no listeners");
        }
        listeners.add(listener);
        return this;
    }

    public void removeListener(GatewayEventListener listener) {
        listeners.remove(listener);
    }

    public void publish(GatewayEvent event) {
        for (GatewayEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event listener " + l + " failed on " + event.type(), e);
            }
        }
    }
}
