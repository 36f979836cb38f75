import io.rangedmmap.mmap.internal.NativeIo;
import org.agrona.UnsafeApi;
public class AnonProbe
{
    public static void main(String[] a) throws Exception
    {
        long bytes = 8L << 20;
        for (int r = 0; r < 8; r++)
        {
            long x = NativeIo.mmapAnonymous(bytes);
            long s = System.nanoTime();
            for (long o = 0; o < bytes; o += 8) UnsafeApi.putLong(x + o, o);
            long touch = System.nanoTime() - s;
            NativeIo.munmap(x, bytes);
            long y = NativeIo.mmapAnonymous(bytes);
            s = System.nanoTime();
            NativeIo.madvise(y, bytes, 23);
            long pop = System.nanoTime() - s;
            s = System.nanoTime();
            for (long o = 0; o < bytes; o += 8) UnsafeApi.putLong(y + o, o);
            long after = System.nanoTime() - s;
            NativeIo.munmap(y, bytes);
            long z = NativeIo.mmapAnonymous(bytes + (2 << 20));
            long za = (z + (2 << 20) - 1) & ~((2L << 20) - 1);
            NativeIo.madvise(za, bytes, 14);
            s = System.nanoTime();
            for (long o = 0; o < bytes; o += 8) UnsafeApi.putLong(za + o, o);
            long huge = System.nanoTime() - s;
            NativeIo.munmap(z, bytes + (2 << 20));
            System.out.printf("touch %d us, populate %d us + fill %d us, hugepage fill %d us%n", touch / 1000, pop / 1000, after / 1000, huge / 1000);
        }
    }
}
