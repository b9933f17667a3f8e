package io.aegis.gateway.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Two builds of the same benchmark side by side in one JVM: each {@code benchmarks.jar} is loaded
 * by its own class loader (own classes, own JIT profiles), and their batches alternate, timed in
 * thread CPU time, so that a noisy machine slows both alike. Prints the median time of each and
 * the median of the per-batch ratios B/A with its quartiles. Run an A/A comparison first to see
 * the noise. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.aegis.gateway.benchmarks.AbCpu A.jar B.jar
 * io.aegis.gateway.benchmarks.WafBenchmark setup wafQueryAndJsonBody [batches] [calls per batch]}.
 */
public final class AbCpu {

    private AbCpu() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: A.jar B.jar benchmarkClass setupMethod benchmarkMethod [batches] [calls]");
        }
        int batches = args.length > 5 ? Integer.parseInt(args[5]) : 61;
        int calls = args.length > 6 ? Integer.parseInt(args[6]) : 2000;
        Object[] target = new Object[2];
        Method[] bench = new Method[2];
        for (int k = 0; k < 2; k++) {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[k]).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> c = Class.forName(args[2], true, loader);
            target[k] = c.getDeclaredConstructor().newInstance();
            c.getMethod(args[3]).invoke(target[k]);
            bench[k] = c.getMethod(args[4]);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 10; warm++) {
            run(bench[warm & 1], target[warm & 1], calls);
        }
        double[][] micros = new double[2][batches];
        double[] ratio = new double[batches];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < 2; i++) {
                int k = (b + i) & 1; // A first in even batches, B first in odd ones
                long t0 = cpu.getCurrentThreadCpuTime();
                run(bench[k], target[k], calls);
                micros[k][b] = (cpu.getCurrentThreadCpuTime() - t0) / 1000.0 / calls;
            }
            ratio[b] = micros[1][b] / micros[0][b];
        }
        Arrays.sort(micros[0]);
        Arrays.sort(micros[1]);
        Arrays.sort(ratio);
        System.out.printf("A %.3f µs, B %.3f µs (medians); B/A %.3f (quartiles %.3f–%.3f) over %d batches of %d%n",
                micros[0][batches / 2], micros[1][batches / 2], ratio[batches / 2], ratio[batches / 4],
                ratio[3 * batches / 4], batches, calls);
    }

    private static void run(Method m, Object target, int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            m.invoke(target);
        }
    }
}
