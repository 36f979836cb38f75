import io.rangedmmap.store.*;
import java.nio.file.*;
import java.util.*;
public class CommitN {
  static void run(int n, double secs) throws Exception {
    Path dir = Files.createTempDirectory("commitn");
    try (PageStore store = PageStore.create(dir.resolve("s.db"), 65536); PageWriter w = store.newWriter()) {
      byte[] data = new byte[4096]; new Random(1).nextBytes(data);
      List<PageReceipt> prev = new ArrayList<>(); int c = 0; long[] lat = new long[1 << 20];
      long end = System.nanoTime() + (long)(secs * 1e9), start = System.nanoTime();
      while (System.nanoTime() < end) {
        long t = System.nanoTime();
        long first = w.allocate(n);
        List<PageReceipt> rs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rs.add(w.write(first + i, data));
        for (PageReceipt r : prev) store.free(r.pageId());
        store.checkpoint(rs); prev = rs; lat[c++] = System.nanoTime() - t;
      }
      double el = (System.nanoTime() - start) / 1e9; long[] l = Arrays.copyOf(lat, c); Arrays.sort(l);
      System.out.printf("pages=%-3d pwrite=%-5s %6.0f commits/s p50 %5d us%n", n, System.getProperty("rmm.exp.pwrite") != null, c / el, l[c / 2] / 1000);
    } finally { for (Path p : Files.list(dir).toList()) Files.delete(p); Files.delete(dir); }
  }
  public static void main(String[] a) throws Exception { for (String s : a) run(Integer.parseInt(s), 3); }
}
