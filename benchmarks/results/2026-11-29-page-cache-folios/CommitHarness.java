import io.rangedmmap.store.*;
import io.rangedmmap.mmap.Advice;
import java.nio.file.*;
import java.util.*;
public class CommitHarness {
  static long sectors() throws Exception { return Long.parseLong(Files.readString(Path.of("/sys/block/vda/stat")).trim().split("\\s+")[6]); }
  static void run(String variant, double secs) throws Exception {
    Path dir = Files.createTempDirectory("commit");
    try (PageStore store = PageStore.create(dir.resolve("s.db"), 65536)) {
      if (variant.equals("random")) store.advise(0, store.pageCount(), Advice.RANDOM);
      byte[] data = new byte[4096]; new Random(1).nextBytes(data);
      PageWriter hold = store.newWriter(); if (variant.equals("high")) hold.allocate(40000); PageWriter w = store.newWriter();
      long prev = -1; int n = 0; long[] lat = new long[1<<20];
      long s0 = sectors(); long end = System.nanoTime() + (long)(secs*1e9); long start = System.nanoTime();
      while (System.nanoTime() < end) {
        long t = System.nanoTime();
        long p = w.allocate(1);
        PageReceipt r = w.write(p, data);
        if (prev >= 0) store.free(prev);
        store.checkpoint(List.of(r));
        lat[n++] = System.nanoTime() - t;
        prev = p;
      }
      double el = (System.nanoTime() - start)/1e9;
      long s1 = sectors();
      long[] l = Arrays.copyOf(lat, n); Arrays.sort(l);
      System.out.printf("%-8s %6.0f commits/s p50 %5d us p99 %6d us  %.1f KiB/commit%n", variant, n/el, l[n/2]/1000, l[(int)(n*0.99)]/1000, (s1-s0)*512/1024.0/n);
      w.close();
    }
  }
  public static void main(String[] a) throws Exception {
    run("default", 2); run("high", 2); run("default", 4); run("high", 4);
  }
}
