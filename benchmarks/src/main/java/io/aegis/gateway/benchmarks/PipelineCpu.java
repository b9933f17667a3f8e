package io.aegis.gateway.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The full chain of {@link PipelineBenchmark} on several threads at once, measured in CPU time of
 * the whole process (not wall time): work that a library hands to other threads (a cache's
 * upkeep on a pool, say) counts too, which a JMH score does not show. Run after {@code package}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.aegis.gateway.benchmarks.PipelineCpu [threads] [ops per thread]}.
 */
public final class PipelineCpu {

    private PipelineCpu() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        long ops = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        PipelineBenchmark b = new PipelineBenchmark();
        b.setup();
        try {
            System.out.println("round  process CPU ns/op  wall ns/op   (" + threads + " threads)");
            for (int round = 0; round < 6; round++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                Thread[] workers = new Thread[threads];
                for (int t = 0; t < threads; t++) {
                    workers[t] = new Thread(() -> {
                        for (long i = 0; i < ops; i++) {
                            b.fullChain();
                        }
                    });
                    workers[t].start();
                }
                for (Thread t : workers) {
                    t.join();
                }
                long cpu = os.getProcessCpuTime() - cpu0;
                long wall = System.nanoTime() - t0;
                System.out.printf("%5d  %17.0f  %10.0f%s%n", round, (double) cpu / (ops * threads), (double) wall / ops,
                        round < 2 ? "   (warm-up)" : "");
            }
        } finally {
            b.close();
        }
    }
}
