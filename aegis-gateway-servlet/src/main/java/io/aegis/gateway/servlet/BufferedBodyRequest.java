package io.aegis.gateway.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays the body bytes the gateway buffered for inspection, followed by the rest of the
 * original stream, so the application reads the whole body. Form parameters of an
 * {@code application/x-www-form-urlencoded} body are parsed from the replayed bytes (the container
 * can no longer read them). Translation only.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] buffered;
    private final int length;
    private ServletInputStream stream;
    private BufferedReader reader;
    private Map<String, String[]> parameters;

    BufferedBodyRequest(HttpServletRequest request, byte[] buffered, int length) {
        super(request);
        this.buffered = buffered;
        this.length = length;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (reader != null) {
            throw new IllegalStateException("getReader() was already called");
        }
        if (stream == null) {
            stream = new Replay(buffered, length, super.getInputStream());
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (stream != null && reader == null) {
            throw new IllegalStateException("getInputStream() was already called");
        }
        if (reader == null) {
            String enc = getCharacterEncoding();
            Charset cs;
            try {
                cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
            reader = new BufferedReader(new InputStreamReader(new Replay(buffered, length, super.getInputStream()), cs));
        }
        return reader;
    }

    private boolean isForm() {
        String ct = getContentType();
        return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private Map<String, String[]> parameters() {
        if (parameters != null) {
            return parameters;
        }
        Map<String, List<String>> all = new LinkedHashMap<>();
        add(all, getQueryString());
        if (isForm() && stream == null && reader == null) {
            try (InputStream in = getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                String enc = getCharacterEncoding();
                add(all, out.toString(enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc)));
            } catch (IOException | RuntimeException e) {
                // an unreadable body contributes no parameters, as with the container itself
            }
        }
        Map<String, String[]> m = new LinkedHashMap<>();
        all.forEach((k, v) -> m.put(k, v.toArray(new String[0])));
        parameters = Collections.unmodifiableMap(m);
        return parameters;
    }

    private static void add(Map<String, List<String>> all, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                all.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException malformed) {
                // skipped, as containers skip malformed pairs
            }
        }
    }

    @Override
    public String getParameter(String name) {
        String[] v = parameters().get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] v = parameters().get(name);
        return v == null ? null : v.clone();
    }

    /** The buffered bytes, then the rest of the original stream. */
    private static final class Replay extends ServletInputStream {
        private final byte[] buffered;
        private final int length;
        private final ServletInputStream rest;
        private int pos;

        Replay(byte[] buffered, int length, ServletInputStream rest) {
            this.buffered = buffered;
            this.length = length;
            this.rest = rest;
        }

        @Override
        public int read() throws IOException {
            if (pos < length) {
                return buffered[pos++] & 0xFF;
            }
            return rest.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < length) {
                int n = Math.min(len, length - pos);
                System.arraycopy(buffered, pos, b, off, n);
                pos += n;
                return n;
            }
            return rest.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return length - pos + (pos >= length ? rest.available() : 0);
        }

        @Override
        public boolean isFinished() {
            return pos >= length && rest.isFinished();
        }

        @Override
        public boolean isReady() {
            return pos < length || rest.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            rest.setReadListener(listener);
        }
    }
}
