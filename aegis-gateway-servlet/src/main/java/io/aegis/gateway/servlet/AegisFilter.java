package io.aegis.gateway.servlet;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.masking.ResponseMasker;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ResponseHeaders;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs the Aegis pipeline for every request of a servlet application, the adapter's only job
 * being translation: the servlet request becomes a gateway request, a rejection becomes an
 * {@code application/problem+json} response, the principal becomes the servlet user principal
 * ({@code getUserPrincipal()}, {@code isUserInRole()}), and the response headers the policies ask
 * for are added.
 *
 * <p>The gateway is, in order of preference: the one given to the constructor; the
 * {@link AegisGateway} stored in the servlet context attribute {@link #GATEWAY_ATTRIBUTE}; one
 * built from MicroProfile Config ({@link AegisGateway#fromConfig()}), which the filter then
 * closes on {@link #destroy()}. Routes come from that gateway's policy (configuration keys
 * {@code aegis.routes.*}); requests matching none get the fallback route
 * ({@code aegis.auth.default-access}).
 *
 * <p>When the route's masking rules apply to the caller (no {@code pii:read}), the response is
 * wrapped and its body written through the core's {@link ResponseMasker} (JSON streamed, text
 * buffered; see {@code docs/security.md}). Asynchronous servlets on masked routes must close the
 * response output stream before completing, so the last masked bytes are written.
 *
 * <p>Map it to {@code /*} ahead of other filters. Requests dispatched again (forward, include,
 * error) are not evaluated twice. When a policy rewrites the path (an API-version fallback to an
 * older version's route), the filter forwards the request to the new path with the
 * {@link jakarta.servlet.RequestDispatcher} instead of continuing the chain: the container then
 * picks the servlet mapped to that path; filters after this one see the forward only if they are
 * mapped for the {@code FORWARD} dispatcher type. Thread-safe.
 */
public final class AegisFilter implements Filter {

    /** The servlet context attribute holding a shared {@link AegisGateway}. */
    public static final String GATEWAY_ATTRIBUTE = AegisGateway.class.getName();
    /** The request attribute holding the {@link Exchange} of the request. */
    public static final String EXCHANGE_ATTRIBUTE = Exchange.class.getName();

    private AegisGateway gateway;
    private boolean owned;

    /** A filter that finds its gateway at {@link #init} time. */
    public AegisFilter() {
    }

    /** A filter using this gateway (not closed by the filter). */
    public AegisFilter(AegisGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void init(FilterConfig config) {
        if (gateway != null) {
            return;
        }
        Object shared = config.getServletContext().getAttribute(GATEWAY_ATTRIBUTE);
        if (shared instanceof AegisGateway g) {
            gateway = g;
        } else {
            gateway = AegisGateway.fromConfig();
            owned = true;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || req.getAttribute(EXCHANGE_ATTRIBUTE) != null) {
            chain.doFilter(req, res);
            return;
        }
        ServletGatewayRequest view = new ServletGatewayRequest(request);
        Exchange exchange = new Exchange(view);
        request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
        Pipeline pipeline = gateway.pipeline();
        Decision decision = pipeline.evaluate(exchange);
        if (decision.rejects()) {
            Problem problem = decision.problem();
            try {
                writeProblem(response, problem, exchange.responseHeaders());
            } finally {
                pipeline.complete(exchange, problem.status());
            }
            return;
        }
        exchange.responseHeaders().forEach(response::addHeader);
        HttpServletRequest replayed = view.buffered() == null ? request
                : new BufferedBodyRequest(request, view.buffered(), view.bufferedLength());
        HttpServletRequest forward = exchange.principal() == null ? replayed
                : new PrincipalRequest(replayed, exchange.principal());
        ResponseMasker masker = gateway.policy().masking().maskerFor(exchange);
        MaskingResponse masked = masker == null ? null : new MaskingResponse(response, masker);
        HttpServletResponse out = masked == null ? response : masked;
        boolean async = false;
        try {
            try {
                String rewritten = exchange.rewrittenRawPath();
                if (rewritten != null) {
                    // A policy routed the request elsewhere (an API-version fallback): the container
                    // dispatches the new path, so the servlet mapped to it answers.
                    String query = request.getQueryString();
                    request.getRequestDispatcher(rewritten + (query == null ? "" : "?" + query)).forward(forward, out);
                } else {
                    chain.doFilter(forward, out);
                }
                if (request.isAsyncStarted()) {
                    async = true;
                    request.getAsyncContext().addListener(new Completion(pipeline, exchange, response));
                } else if (masked != null) {
                    masked.finish();
                }
            } catch (IOException e) {
                if (masked == null || !masked.failed()) {
                    throw e;
                }
                masked.fail(e);
            }
        } finally {
            if (!async) {
                pipeline.complete(exchange, response.getStatus());
            }
        }
    }

    /** Writes a problem response, with the problem's own headers and the exchange's decorations. */
    static void writeProblem(HttpServletResponse response, Problem problem, ResponseHeaders decorations)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        decorations.forEach(response::addHeader);
        for (Map.Entry<String, List<String>> h : problem.headers().entrySet()) {
            for (String v : h.getValue()) {
                response.addHeader(h.getKey(), v);
            }
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        byte[] body = problem.toJson().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }

    @Override
    public void destroy() {
        if (owned && gateway != null) {
            gateway.close();
        }
    }

    /** The gateway this filter uses (after {@link #init}). */
    public AegisGateway gateway() {
        return gateway;
    }

    private record Completion(Pipeline pipeline, Exchange exchange, HttpServletResponse response)
            implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            pipeline.complete(exchange, response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            pipeline.complete(exchange, 503);
        }

        @Override
        public void onError(AsyncEvent event) {
            pipeline.complete(exchange, 500);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
