package io.rangedmmap.mmap;

import java.nio.file.Path;

/**
 * Child-JVM program: opens the file given as argument and prints what happened.
 */
public final class OpenFileMain
{
    private OpenFileMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file.
     */
    public static void main(final String[] args)
    {
        try (Mapping<SequentialAllocator> m = MmapFile.openDefault(Path.of(args[0])))
        {
            System.out.println("opened size=" + m.file().size());
        }
        catch (final Exception ex)
        {
            System.out.println(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }
}
