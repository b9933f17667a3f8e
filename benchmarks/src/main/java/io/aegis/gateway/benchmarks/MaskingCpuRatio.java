package io.aegis.gateway.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A check of the masking budget that holds up on a shared, overloaded machine, beside the JMH
 * {@link MaskingBenchmark}: the plain copy and each masking variant run interleaved, batch after
 * batch, timed in thread CPU time (not wall time, which other processes inflate), and the median
 * ratio over the batches is printed. One variant per JVM, as JMH forks per benchmark, so the
 * variants do not share JIT profiles. Run after {@code package}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.aegis.gateway.benchmarks.MaskingCpuRatio maskFields}
 * (or {@code maskFieldsAndDetectors}, {@code maskFieldsStreaming}); then the number of batches
 * (41) and the document sizes in KiB ({@code 1,16,100}; beyond 128 the stream re-serialises).
 */
public final class MaskingCpuRatio {

    private MaskingCpuRatio() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String variant = args.length > 0 ? args[0] : "maskFields";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 41;
        String[] all = {"maskFields", "maskFieldsAndDetectors", "maskFieldsStreaming"};
        int chosen = java.util.List.of(all).indexOf(variant);
        if (chosen < 0) {
            throw new IllegalArgumentException("variant: " + variant + " (expected: one of " + String.join(", ", all) + ")");
        }
        System.out.println("size    variant                    median ratio to plain copy   plain copy (CPU us/doc)");
        int[] sizes = Arrays.stream((args.length > 2 ? args[2] : "1,16,100").split(",")).mapToInt(Integer::parseInt).toArray();
        for (int kib : sizes) {
            MaskingBenchmark b = new MaskingBenchmark();
            b.kib = kib;
            b.setup();
            int reps = Math.max(20, 40_000 / kib);
            String[] names = {variant};
            double[][] ratios = new double[names.length][batches];
            double[] plain = new double[batches];
            for (int warm = 0; warm < 5; warm++) {
                run(b, -1, reps);
                run(b, chosen, reps);
            }
            for (int i = 0; i < batches; i++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                run(b, -1, reps);
                long base = cpu.getCurrentThreadCpuTime() - t0;
                plain[i] = base / 1000.0 / reps;
                long t1 = cpu.getCurrentThreadCpuTime();
                run(b, chosen, reps);
                ratios[0][i] = (double) (cpu.getCurrentThreadCpuTime() - t1) / base;
            }
            for (int v = 0; v < names.length; v++) {
                System.out.printf("%3d KiB %-26s %6.2f                      %8.2f%n", kib, names[v], median(ratios[v]), median(plain));
            }
        }
    }

    private static int sink;

    private static void run(MaskingBenchmark b, int variant, int reps) throws Exception {
        for (int r = 0; r < reps; r++) {
            byte[] out = switch (variant) {
                case -1 -> b.plainCopy();
                case 0 -> b.maskFields();
                case 1 -> b.maskFieldsAndDetectors();
                default -> b.maskFieldsStreaming();
            };
            sink += out.length;
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
