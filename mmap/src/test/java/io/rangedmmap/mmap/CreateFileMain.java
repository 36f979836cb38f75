package io.rangedmmap.mmap;

import java.nio.file.Path;

/**
 * Child-JVM program: creates a 4 KiB file, writes and flushes a range, and prints what happened.
 */
public final class CreateFileMain
{
    private CreateFileMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file.
     */
    public static void main(final String[] args)
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(Path.of(args[0]), 4096))
        {
            final WriteReceipt receipt = m.file().writeRange(m.allocator().allocate(4096).orElseThrow(),
                new byte[4096]);
            m.file().flushRange(receipt);
            System.out.println("created size=" + m.file().size() + " module=" + MmapFile.class.getModule().getName());
        }
        catch (final Throwable ex)
        {
            System.out.println(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }
}
