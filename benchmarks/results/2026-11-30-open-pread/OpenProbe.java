import io.rangedmmap.store.*;
import io.rangedmmap.store.internal.*;
import io.rangedmmap.mmap.RawMmapFile;
import java.nio.file.*;
import java.util.*;

public class OpenProbe
{
    public static void main(String[] a) throws Exception
    {
        Path path = Path.of(a[0]);
        if (a[1].equals("create"))
        {
            long pageCount = Long.parseLong(a[2]);
            int live = Integer.parseInt(a[3]);
            Files.deleteIfExists(path);
            io.rangedmmap.store.internal.Formatter.format(path, pageCount, pageCount, StoreIo.DIRECT, true);
            byte[] data = new byte[PageStore.PAGE_SIZE];
            try (PageStore store = PageStore.open(path); PageWriter writer = store.newWriter())
            {
                int written = 0;
                while (written < live)
                {
                    int batch = Math.min(65_536, live - written);
                    List<PageReceipt> receipts = new ArrayList<>(batch);
                    long first = writer.allocate(batch);
                    for (int i = 0; i < batch; i++) { data[0] = (byte)(written + i); receipts.add(writer.write(first + i, data)); }
                    store.checkpoint(receipts);
                    written += batch;
                }
            }
            return;
        }
        int rounds = Integer.parseInt(a[2]);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] c = new long[rounds];
        long[] t = new long[rounds];
        long[] r = new long[rounds];
        for (int i = 0; i < rounds; i++)
        {
            long cs = mx.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            try (PageStore store = PageStore.open(path)) { t[i] = System.nanoTime() - s; c[i] = mx.getCurrentThreadCpuTime() - cs; }
            try (RawMmapFile f = RawMmapFile.openReadOnly(path))
            {
                s = System.nanoTime();
                Recovery.recover(f, path);
                r[i] = System.nanoTime() - s;
            }
        }
        long[] cs2 = c.clone(); Arrays.sort(cs2); long[] ts2 = t.clone(); Arrays.sort(ts2);
        System.out.println("open median wall us " + ts2[rounds / 2] / 1000 + " median cpu us " + cs2[rounds / 2] / 1000 + " min wall " + ts2[0] / 1000);
        System.out.println("open us " + Arrays.toString(Arrays.stream(t).map(x -> x / 1000).toArray()));
        System.out.println("recover(ro) us " + Arrays.toString(Arrays.stream(r).map(x -> x / 1000).toArray()));
    }
}
