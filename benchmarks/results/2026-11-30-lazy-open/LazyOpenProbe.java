import io.rangedmmap.benchmarks.StoreSizeOpenBenchmark;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Issue 10 (h10-lazy): open of one store after a clean close (lazy: superblocks only) against after a crash (the
 * close's mark removed: every group loaded at open), in alternation. {@code PATH create PAGECOUNT LIVE} builds it;
 * {@code PATH ROUNDS LIVE} measures, each round in both states (order alternating): PageStore.open wall and CPU time
 * of the calling thread; the heap the open store holds (used heap after two System.gc() with the store open, minus
 * after it is closed); the first read of a page in each of 200 groups no call touched yet (clean: one pread and the
 * group's load each) and a second read in each of those groups, medians; the first allocate of a writer (the store's free space is all above
 * its live pages: after a clean open it loads every group below the high-water mark first, the worst case).
 */
public class LazyOpenProbe
{
    private static final int TOUCHES = 200;

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
        final long live = Long.parseLong(a[2]);
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final String[] kinds = {"open wall us", "open cpu us", "heap held B", "1st read in group us (median of 200)", "2nd read in group us (median of 200)",
            "1st allocate us"};
        // [state][kind][round], state 0 clean, 1 crashed
        final long[][][] m = new long[2][kinds.length][rounds];
        final byte[] dst = new byte[PageStore.PAGE_SIZE];
        for (int i = 0; i < rounds; i++)
        {
            for (int k = 0; k < 2; k++)
            {
                final int state = (i + k) % 2;
                if (1 == state)
                {
                    StoreSizeOpenBenchmark.unmark(path);
                }
                final long before = usedHeap();
                final long cpu = mx.getCurrentThreadCpuTime();
                final long wall = System.nanoTime();
                try (PageStore store = PageStore.open(path))
                {
                    m[state][0][i] = System.nanoTime() - wall;
                    m[state][1][i] = mx.getCurrentThreadCpuTime() - cpu;
                    m[state][2][i] = usedHeap() - before;
                    // First reads of pages in TOUCHES different groups (clean: each loads its group), then a second
                    // read in each of those groups: the median of each.
                    final long[] first = new long[TOUCHES];
                    final long[] second = new long[TOUCHES];
                    for (int j = 0; j < TOUCHES; j++)
                    {
                        final long page = (j * (live / TOUCHES) + i * 7L) % live;
                        long t = System.nanoTime();
                        store.read(page, dst);
                        first[j] = System.nanoTime() - t;
                        t = System.nanoTime();
                        store.read(page + 1 < live ? page + 1 : page - 1, dst);
                        second[j] = System.nanoTime() - t;
                    }
                    m[state][3][i] = median(first);
                    m[state][4][i] = median(second);
                    long t;
                    try (PageWriter writer = store.newWriter())
                    {
                        t = System.nanoTime();
                        writer.allocate();
                        m[state][5][i] = System.nanoTime() - t;
                    }
                }
                // No checkpoint ran: a clean store's close writes nothing (the mark stays); the crashed state's close
                // marks it clean again.
            }
        }
        for (int kind = 0; kind < kinds.length; kind++)
        {
            final long clean = median(m[0][kind]);
            final long crashed = median(m[1][kind]);
            final double scale = 2 == kind ? 1 : 1e3;
            System.out.printf("%-38s median: clean %.1f, crashed %.1f, clean/crashed %.3f%n", kinds[kind],
                clean / scale, crashed / scale, clean / (double)crashed);
            System.out.println("  clean   " + Arrays.toString(Arrays.stream(m[0][kind]).map(x -> (long)(x / scale))
                .toArray()));
            System.out.println("  crashed " + Arrays.toString(Arrays.stream(m[1][kind]).map(x -> (long)(x / scale))
                .toArray()));
        }
    }

    private static long usedHeap()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
