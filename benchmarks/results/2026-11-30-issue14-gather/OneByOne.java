import io.rangedmmap.store.*;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

/** One writer, one page per commit, the previous page freed: CommitPeers' store cell 1x1. args: dir commits */
public class OneByOne
{
    public static void main(String[] args) throws Exception
    {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int commits = Integer.parseInt(args[1]);
        Path file = dir.resolve("s.store");
        Files.deleteIfExists(file);
        PageStore.create(file, 1 << 16).close();
        byte[] data = new byte[PageStore.PAGE_SIZE];
        new Random(1).nextBytes(data);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (PageStore store = PageStore.open(file); PageWriter writer = store.newWriter())
        {
            long previous = -1;
            for (int phase = 0; phase < 2; phase++)
            {
                int n = phase == 0 ? 2000 : commits;
                long write = 0, call = 0, inside = 0;
                long a0 = threads.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++)
                {
                    long page = writer.allocate();
                    long w0 = System.nanoTime();
                    PageReceipt r = writer.write(page, data);
                    long w1 = System.nanoTime();
                    Checkpoint c = store.checkpoint(List.of(r));
                    long w2 = System.nanoTime();
                    write += w1 - w0; call += w2 - w1; inside += c.durationNanos();
                    if (previous >= 0) store.free(previous);
                    previous = page;
                }
                long t1 = System.nanoTime();
                long a1 = threads.getCurrentThreadAllocatedBytes();
                System.out.printf("%s: %d commits, %.1f us/commit, %.0f B/commit%n", phase == 0 ? "warm" : "measured",
                    n, (t1 - t0) / 1e3 / n, (double)(a1 - a0) / n);
                System.out.printf("  write %.1f us, checkpoint call %.1f us, of which Checkpointer.run %.1f us%n",
                    write / 1e3 / n, call / 1e3 / n, inside / 1e3 / n);
                if (phase == 0) { System.out.println("MARK"); System.out.flush(); }
            }
        }
    }
}
