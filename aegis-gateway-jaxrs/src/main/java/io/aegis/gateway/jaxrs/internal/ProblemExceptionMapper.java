package io.aegis.gateway.jaxrs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;

/**
 * Turns what the application throws into RFC 9457 problems, so clients see one error format:
 * a {@link WebApplicationException} keeps its status (and headers) with a problem body; a JSON
 * parsing error is a 400; anything else is a 500 with an incident id, logged here, and never a
 * stack trace or exception text in the response.
 */
public final class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final System.Logger LOG = System.getLogger(ProblemExceptionMapper.class.getName());
    private static final ProblemType HTTP_ERROR = ProblemType.of("http-error", 400, "Request failed");

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException wae) {
            Response original = wae.getResponse();
            int status = original.getStatus();
            if (original.hasEntity() || status < 400) {
                return original; // the application built its own response
            }
            ProblemType type = status == 404 ? ProblemType.NOT_FOUND
                    : status == 400 ? ProblemType.BAD_REQUEST : HTTP_ERROR;
            Problem p = Problem.builder(type).status(status)
                    .detail(original.getStatusInfo().getReasonPhrase()).build();
            Response.ResponseBuilder b = Response.fromResponse(Responses.problem(p));
            original.getHeaders().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Content-Type")) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            return b.build();
        }
        if (e instanceof JsonProcessingException) {
            return Responses.problem(Problem.of(ProblemType.BAD_REQUEST, "The request body is not valid JSON for this resource."));
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "unhandled exception; incident " + incident, e);
        return Responses.problem(Problem.builder(ProblemType.INTERNAL_ERROR)
                .detail("The service could not process the request.")
                .with("incident", incident).build());
    }
}
