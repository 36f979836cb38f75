import io.rangedmmap.benchmarks.StoreSizeOpenBenchmark;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.internal.Recovery;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Issue 10 (h10-clean): open of one store after a clean close against after a crash (the close's mark removed), in
 * alternation. {@code PATH create PAGECOUNT LIVE} builds it; {@code PATH ROUNDS} measures, each round in both states
 * (order alternating): Recovery.recover on a read-only mapping (the part that differs) and PageStore.open + close,
 * wall and CPU time of the calling thread (ThreadMXBean, which counts the kernel's fault handling, not preemption).
 */
public class CleanOpenProbe
{
    public static void main(final String[] a) throws Exception
    {
        final Path path = Path.of(a[0]);
        if ("create".equals(a[1]))
        {
            Files.deleteIfExists(path);
            StoreSizeOpenBenchmark.build(path, Long.parseLong(a[2]), Integer.parseInt(a[3]));
            return;
        }
        final int rounds = Integer.parseInt(a[1]);
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // [state][kind: recover wall, recover cpu, open wall, open cpu][round], state 0 clean, 1 crashed
        final long[][][] m = new long[2][4][rounds];
        for (int i = 0; i < rounds; i++)
        {
            for (int k = 0; k < 2; k++)
            {
                final int state = (i + k) % 2;
                if (1 == state)
                {
                    StoreSizeOpenBenchmark.unmark(path);
                }
                long cpu = mx.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                try (RawMmapFile file = RawMmapFile.openReadOnly(path))
                {
                    final Recovery recovery = Recovery.recover(file, path);
                    m[state][0][i] = System.nanoTime() - wall;
                    m[state][1][i] = mx.getCurrentThreadCpuTime() - cpu;
                    if (recovery.clean() != (0 == state))
                    {
                        throw new IllegalStateException("state " + state + " but clean=" + recovery.clean());
                    }
                }
                cpu = mx.getCurrentThreadCpuTime();
                wall = System.nanoTime();
                try (PageStore store = PageStore.open(path))
                {
                    m[state][2][i] = System.nanoTime() - wall;
                    m[state][3][i] = mx.getCurrentThreadCpuTime() - cpu;
                }
                // The close marks the store clean again (the crashed state's open compared the copies: none stale).
            }
        }
        final String[] kinds = {"recover wall", "recover cpu", "open wall", "open cpu"};
        for (int kind = 0; kind < 4; kind++)
        {
            final long clean = median(m[0][kind]);
            final long crashed = median(m[1][kind]);
            System.out.printf("%-13s median ms: clean %.2f, crashed %.2f, clean/crashed %.2f%n", kinds[kind],
                clean / 1e6, crashed / 1e6, clean / (double)crashed);
            System.out.println("  clean   " + Arrays.toString(Arrays.stream(m[0][kind]).map(x -> x / 1000).toArray()));
            System.out.println("  crashed " + Arrays.toString(Arrays.stream(m[1][kind]).map(x -> x / 1000).toArray()));
        }
    }

    private static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
