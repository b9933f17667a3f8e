package com.example.consumer;

import io.aegis.gateway.jaxrs.RateLimited;
import io.aegis.gateway.jaxrs.RequiresScopes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A resource protected the way a service developer protects one. */
@Path("/api/v1/greetings")
public class GreetingResource {

    @GET
    @RequiresScopes("greetings:read")
    @RateLimited(limits = "10/1s")
    public String hello() {
        return "hello";
    }
}
