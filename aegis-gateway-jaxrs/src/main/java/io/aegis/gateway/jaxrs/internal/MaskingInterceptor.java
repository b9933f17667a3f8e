package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.masking.MaskingOutputStream;
import io.aegis.gateway.masking.ResponseMasker;
import io.aegis.gateway.pipeline.Exchange;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes response entities through the core's {@link ResponseMasker} when the pipeline says the
 * exchange's response must be masked: translation only. Runs inside any content encoder
 * ({@link Priorities#ENTITY_CODER}), so it sees the entity before compression; the
 * {@code Content-Length} is left to the container, computed from the masked bytes.
 */
@Priority(Priorities.ENTITY_CODER + 500)
public final class MaskingInterceptor implements WriterInterceptor {

    private final AegisGateway gateway;

    public MaskingInterceptor(AegisGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext ctx) throws IOException {
        Object ex = ctx.getProperty(PreMatchingFilter.EXCHANGE);
        ResponseMasker masker = ex instanceof Exchange exchange ? gateway.policy().masking().maskerFor(exchange) : null;
        MediaType type = ctx.getMediaType();
        String contentType = type == null ? null : type.toString();
        if (masker == null || masker.treatment(contentType, null) == ResponseMasker.Treatment.PASS) {
            ctx.proceed();
            return;
        }
        ctx.getHeaders().remove("Content-Length");
        OutputStream original = ctx.getOutputStream();
        MaskingOutputStream masked = masker.wrap(original, contentType, null);
        ctx.setOutputStream(masked);
        try {
            ctx.proceed();
            masked.finish();
        } finally {
            ctx.setOutputStream(original);
        }
    }
}
