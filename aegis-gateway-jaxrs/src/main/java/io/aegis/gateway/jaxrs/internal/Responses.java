package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.pipeline.Problem;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Problem responses in JAX-RS terms. */
public final class Responses {

    private Responses() {
    }

    /** An {@code application/problem+json} response with the problem's own headers. */
    public static Response problem(Problem problem) {
        Response.ResponseBuilder b = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .header("Cache-Control", "no-store")
                .entity(problem.toJson());
        for (Map.Entry<String, List<String>> h : problem.headers().entrySet()) {
            for (String v : h.getValue()) {
                b.header(h.getKey(), v);
            }
        }
        return b.build();
    }
}
