import io.rangedmmap.mmap.*;
import java.nio.file.*;
import java.util.*;
public class FirstWrite {
  static long SLEEP=0; static void run(boolean growable, long pages, int chunk, boolean print) throws Exception {
    Path dir = Files.createTempDirectory("raw");
    Path p = dir.resolve("f");
    RawMmapFile f;
    if (growable) { RawMmapFile.create(p, pages*4096).close(); f = RawMmapFile.openGrowable(p, pages*4096*4); }
    else f = RawMmapFile.create(p, pages * 4096);
    try (f) {
      byte[] data = new byte[4096]; new Random(1).nextBytes(data);
      f.advise(0, pages*4096, Advice.POPULATE_WRITE);
      Thread.sleep(SLEEP); StringBuilder sb = new StringBuilder();
      for (long c = 0; c < pages; c += chunk) {
        long t0 = System.nanoTime();
        for (long i = c; i < c + chunk; i++) f.writeAt(i*4096, data);
        sb.append(String.format(" %.2f", (System.nanoTime()-t0)/1e3/chunk));
      }
      if (print) System.out.println((growable?"growable ":"plain ") + "pages=" + pages + ":" + sb);
    }
  }
  public static void main(String[] a) throws Exception {
    for (int i = 0; i < 5; i++) run(false, 16384, 1024, false);
    run(false, 32768, 2048, true); SLEEP=1000; run(false, 32768, 2048, true); SLEEP=5000; run(false, 32768, 2048, true);
  }
}
