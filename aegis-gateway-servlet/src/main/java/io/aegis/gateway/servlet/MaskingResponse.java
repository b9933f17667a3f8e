package io.aegis.gateway.servlet;

import io.aegis.gateway.masking.MaskingOutputStream;
import io.aegis.gateway.masking.ResponseMasker;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.ResponseHeaders;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes the application's response body through the core's {@link ResponseMasker}: translation
 * only. The decision what to do is the masker's, taken at the first byte from the content type
 * and encoding the application set; a {@code Content-Length} the application declared is held
 * back and passed on only when the body goes through unchanged.
 */
final class MaskingResponse extends HttpServletResponseWrapper {

    private static final System.Logger LOG = System.getLogger(MaskingResponse.class.getName());

    private final HttpServletResponse response;
    private final ResponseMasker masker;
    private long declaredLength = -1;
    private Body body;
    private PrintWriter writer;
    private MaskingOutputStream target;
    private boolean failed;
    private boolean finishing;

    MaskingResponse(HttpServletResponse response, ResponseMasker masker) {
        super(response);
        this.response = response;
        this.masker = masker;
    }

    @Override
    public void setContentLength(int len) {
        declaredLength = len;
    }

    @Override
    public void setContentLengthLong(long len) {
        declaredLength = len;
    }

    @Override
    public void setHeader(String name, String value) {
        if (isContentLength(name)) {
            declaredLength = parse(value);
        } else {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (isContentLength(name)) {
            declaredLength = parse(value);
        } else {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (isContentLength(name)) {
            declaredLength = value;
        } else {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        setIntHeader(name, value);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called on this response");
        }
        return body();
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            if (body != null) {
                throw new IllegalStateException("getOutputStream() was already called on this response");
            }
            String enc = getCharacterEncoding();
            Charset cs;
            try {
                cs = enc == null ? StandardCharsets.ISO_8859_1 : Charset.forName(enc);
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
            writer = new PrintWriter(new OutputStreamWriter(body(), cs), false);
        }
        return writer;
    }

    private Body body() {
        if (body == null) {
            body = new Body();
        }
        return body;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (target != null) {
            target.flush();
        }
        super.flushBuffer();
    }

    @Override
    public void reset() {
        super.reset();
        declaredLength = -1;
        target = null;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        target = null;
    }

    /** Completes the body: called by the filter once the application has returned. */
    void finish() throws IOException {
        if (writer != null) {
            // Empties the writer's encoder into the body; the flush it passes on is not the
            // application's and must not start streaming a body that can still go out whole.
            finishing = true;
            writer.flush();
        }
        if (target == null) {
            if (declaredLength >= 0 && !response.isCommitted()) {
                response.setContentLengthLong(declaredLength);
            }
            return;
        }
        try {
            target.finish();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Answers a body that could not be masked: 500 with an incident id when nothing was sent yet;
     * otherwise the failure is rethrown so the container cuts the response.
     */
    void fail(IOException e) throws IOException {
        String incident = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "the response could not be masked; incident " + incident, e);
        if (response.isCommitted()) {
            throw e;
        }
        target = masker.wrap(OutputStream.nullOutputStream(), null, null);
        AegisFilter.writeProblem(response, Problem.builder(ProblemType.INTERNAL_ERROR)
                .detail("The gateway could not process the response.").with("incident", incident).build(),
                new ResponseHeaders());
    }

    /** {@code true} once writing through the masker has failed. */
    boolean failed() {
        return failed;
    }

    /** Chooses the treatment from what the application declared, at its first byte. */
    private MaskingOutputStream target() throws IOException {
        if (target != null) {
            return target;
        }
        String type = getContentType();
        String encoding = getHeader("Content-Encoding");
        ResponseMasker.Treatment t = masker.treatment(type, encoding);
        if (t == ResponseMasker.Treatment.REFUSE) {
            String incident = UUID.randomUUID().toString();
            LOG.log(System.Logger.Level.ERROR, "a response that must be masked has Content-Encoding " + encoding
                    + ", which cannot be masked; answered 500, incident " + incident);
            AegisFilter.writeProblem(response, Problem.builder(ProblemType.INTERNAL_ERROR)
                    .detail("The gateway could not process the response.").with("incident", incident).build(),
                    new ResponseHeaders());
            target = masker.wrap(OutputStream.nullOutputStream(), null, null);
            return target;
        }
        if (t == ResponseMasker.Treatment.PASS && declaredLength >= 0) {
            response.setContentLengthLong(declaredLength);
        }
        target = masker.wrap(response.getOutputStream(), type, encoding, this::maskedLength);
        return target;
    }

    /** The length of a masked body known whole before it is written: sent as its Content-Length. */
    private void maskedLength(long length) {
        if (!response.isCommitted()) {
            response.setContentLengthLong(length);
        }
    }

    private static boolean isContentLength(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).equals("content-length");
    }

    private static long parse(String v) {
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The servlet stream the application writes to. */
    private final class Body extends ServletOutputStream {
        @Override
        public void write(int b) throws IOException {
            try {
                target().write(b);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                try {
                    target().write(b, off, len);
                } catch (IOException e) {
                    failed = true;
                    throw e;
                }
            }
        }

        @Override
        public void flush() throws IOException {
            if (target != null && !finishing) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            finish();
            response.getOutputStream().close();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("non-blocking writes are not supported on a response that is masked");
        }
    }
}
