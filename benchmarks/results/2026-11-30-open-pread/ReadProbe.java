import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.format.StoreLayout;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.zip.CRC32C;

public class ReadProbe
{
    public static void main(String[] a) throws Exception
    {
        Path path = Path.of(a[0]);
        long groups = Long.parseLong(a[1]);
        StoreLayout layout = new StoreLayout(1048576);
        byte[] page = new byte[4096];
        for (int round = 0; round < 6; round++)
        {
            try (RawMmapFile f = RawMmapFile.openReadOnly(path))
            {
                long s = System.nanoTime();
                for (long g = 0; g < groups; g++) { f.readAt(layout.metadataOffset(0, g), page); f.readAt(layout.metadataOffset(1, g), page); }
                long m = System.nanoTime() - s;
                s = System.nanoTime();
                for (long g = 0; g < groups; g++) { f.readAt(layout.metadataOffset(0, g), page); f.readAt(layout.metadataOffset(1, g), page); }
                long m2 = System.nanoTime() - s;
                CRC32C c = new CRC32C();
                s = System.nanoTime();
                for (long g = 0; g < 2 * groups; g++) { c.reset(); c.update(page); }
                long crc = System.nanoTime() - s;
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ))
                {
                    ByteBuffer bb = ByteBuffer.allocateDirect(8192);
                    s = System.nanoTime();
                    for (long g = 0; g < groups; g++) { bb.clear(); ch.read(bb, layout.metadataOffset(0, g)); }
                    long p = System.nanoTime() - s;
                    System.out.printf("mmap first %d us, again %d us, crc %d us, pread 8K %d us%n", m / 1000, m2 / 1000, crc / 1000, p / 1000);
                }
            }
        }
    }
}
