package io.rangedmmap.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The temporary directories the benchmarks create their files in.
 */
final class TempDirs
{
    private TempDirs()
    {
    }

    /**
     * Deletes a directory and the files in it, if it exists.
     *
     * @param dir the directory, or {@code null}.
     * @throws IOException if something cannot be deleted.
     */
    static void deleteTree(final Path dir) throws IOException
    {
        if (null != dir && Files.exists(dir))
        {
            MmapWriteBenchmark.deleteTree(dir);
        }
    }
}
