package io.aegis.gateway.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.aegis.gateway.masking.Detector;
import io.aegis.gateway.masking.JsonMasker;
import io.aegis.gateway.masking.LogSanitizer;
import io.aegis.gateway.masking.MaskingOutputStream;
import io.aegis.gateway.masking.MaskingPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Response masking against its baseline, on the same documents: a plain Jackson streaming copy
 * (parser to generator, {@code copyCurrentEvent}) versus the masking copy. Budget: masking ≤ 1.2×
 * the plain copy for 1 KB, 16 KB and 100 KB documents. The documents are a users API page:
 * names (Latin and Korean), e-mails, phones, a free-text bio, numbers and arrays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskingBenchmark {

    private static final JsonFactory JSON = new JsonFactory();

    @Param({"1", "16", "100"})
    public int kib;

    private byte[] doc;
    private JsonMasker fields;
    private JsonMasker fieldsAndDetectors;
    private final String logLine = "2025-03-14T09:26:53Z INFO request GET /api/v1/users/u-1003 from 203.0.113.9 user minjun.kim@example.kr "
            + "took 12 ms status 200 (route get-user, trace 4bf92f3577b34da6a3ce929d0e0e4736)";

    @Setup
    public void setup() {
        doc = document(kib * 1024);
        fields = JsonMasker.of(MaskingPolicy.fields("email", "phone"));
        fieldsAndDetectors = JsonMasker.of(MaskingPolicy.builder().fields(List.of("email", "phone"))
                .detectors(Detector.EMAIL, Detector.PHONE, Detector.RESIDENT_ID, Detector.CARD).build());
    }

    static byte[] document(int size) {
        String[] names = {"Ada Lovelace", "김민준", "Grace Hopper", "이서연", "Seán O'Brien", "박지훈"};
        String[] mails = {"ada.lovelace@example.com", "minjun.kim@example.kr", "grace.hopper@example.org",
            "seoyeon.lee@example.kr", "sean.obrien@example.ie", "jihoon.park@example.kr"};
        String[] phones = {"+44 20 7946 0018", "010-2345-6789", "+1 202 555 0147", "+82 10 9876 5432", "+353 1 555 0199",
            "02-555-0123"};
        StringBuilder sb = new StringBuilder(size + 512).append("{\"users\":[");
        int i = 0;
        while (sb.length() < size - 400) {
            int k = i % names.length;
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"u-").append(1000 + i).append("\",\"name\":\"").append(names[k])
                    .append("\",\"email\":\"").append(mails[k]).append("\",\"phone\":\"").append(phones[k])
                    .append("\",\"city\":\"Seoul\",\"createdAt\":\"2025-03-14T09:26:53Z\",\"score\":").append(i * 7 % 100)
                    .append(".5,\"active\":true,\"tags\":[\"beta\",\"kr\"],\"bio\":\"Joined in 2021; likes hiking and 한국 음식. "
                            + "Order #").append(123456 + i).append(" shipped.\"}");
            i++;
        }
        return sb.append("],\"count\":").append(i).append("}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The baseline: Jackson's own streaming copy into a fresh buffer. */
    @Benchmark
    public byte[] plainCopy() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(doc.length + 64);
        try (JsonParser p = JSON.createParser(doc); JsonGenerator g = JSON.createGenerator(out)) {
            while (p.nextToken() != null) {
                g.copyCurrentEvent(p);
            }
        }
        return out.toByteArray();
    }

    /** The demo's masking: two field names. */
    @Benchmark
    public byte[] maskFields() throws IOException {
        return fields.mask(doc);
    }

    /** Field names plus four detectors scanning every other string value. */
    @Benchmark
    public byte[] maskFieldsAndDetectors() throws IOException {
        return fieldsAndDetectors.mask(doc);
    }

    /** What the adapters run: the non-blocking stream, fed in 8 KiB chunks. */
    @Benchmark
    public byte[] maskFieldsStreaming() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(doc.length + 64);
        MaskingOutputStream s = fields.stream(out);
        for (int off = 0; off < doc.length; off += 8192) {
            s.write(doc, off, Math.min(8192, doc.length - off));
        }
        s.finish();
        return out.toByteArray();
    }

    /** One typical log line through the default log sanitizer (independent of the document size). */
    @Benchmark
    public String sanitizeLogLine() {
        return LogSanitizer.sanitize(logLine);
    }
}
