package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aegis.gateway.jaxrs.JaxRsRoutes;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreetingResourceTest {

    @Test
    void theLibraryReadsTheAnnotations() {
        List<RoutePolicy> routes = JaxRsRoutes.routes(Access.AUTHENTICATED, GreetingResource.class);
        assertEquals(1, routes.size());
        assertEquals("GET /api/v1/greetings", routes.get(0).id());
        assertEquals("[greetings:read]", routes.get(0).scopes().values().toString());
        assertEquals("10/1s", routes.get(0).rateLimit().limits().toString());
    }
}
