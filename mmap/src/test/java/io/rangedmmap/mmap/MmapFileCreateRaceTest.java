/*
 * Copyright 2026 the ranged-mmap authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.rangedmmap.mmap;

import io.rangedmmap.mmap.internal.LockedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two creates of one path at once give one file and one {@link FileAlreadyExistsException}, never a 0-byte file, and
 * a crash's orphaned temporary file is removed by the next create of that name.
 */
class MmapFileCreateRaceTest
{
    private static final int ROUNDS = 250;
    private static final long SIZE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldGiveOneFileAndOneFileAlreadyExistsExceptionToTwoThreadsCreatingOnePath() throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(2);
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final Path file = dir.resolve("race-" + round + ".bin");
                final List<Future<Mapping<SequentialAllocator>>> results = pool.invokeAll(List.of(
                    () -> create(start, file), () -> create(start, file)));
                int created = 0;
                int refused = 0;
                for (final Future<Mapping<SequentialAllocator>> result : results)
                {
                    try (Mapping<SequentialAllocator> mapping = result.get())
                    {
                        created++;
                        assertEquals(SIZE, mapping.file().size());
                    }
                    catch (final java.util.concurrent.ExecutionException ex)
                    {
                        assertEquals(FileAlreadyExistsException.class, ex.getCause().getClass(),
                            "round " + round + ": " + ex.getCause());
                        refused++;
                    }
                }
                assertEquals(1, created, "round " + round);
                assertEquals(1, refused, "round " + round);
                assertEquals(SIZE, Files.size(file), "round " + round + ": the file must be whole");
                assertEquals(List.of(), LockedFile.temporaries(file), "round " + round);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static Mapping<SequentialAllocator> create(final CyclicBarrier start, final Path file) throws Exception
    {
        start.await();
        return MmapFile.createDefault(file, SIZE);
    }

    @Test
    void shouldRemoveAnOrphanedTemporaryFileAtTheNextCreateOfThatName() throws IOException
    {
        final Path file = dir.resolve("f.bin");
        final Path orphan = dir.resolve("f.bin" + LockedFile.TEMPORARY_MARK + "1234abcd");
        final Path otherName = dir.resolve("g.bin" + LockedFile.TEMPORARY_MARK + "1234abcd");
        Files.write(orphan, new byte[8192]);
        Files.write(otherName, new byte[8192]);
        try (RawMmapFile raw = RawMmapFile.create(file, SIZE))
        {
            assertEquals(SIZE, raw.size());
        }
        assertFalse(Files.exists(orphan), "the orphan of f.bin must be removed");
        assertTrue(Files.exists(otherName), "another name's temporary file is not this create's business");
        assertEquals(List.of(), LockedFile.temporaries(file));
    }

    @Test
    void shouldNotDeleteTheExistingFileWhenRefusingToReplaceIt() throws IOException
    {
        final Path file = dir.resolve("kept.bin");
        Files.write(file, new byte[4096]);
        assertThrowsExactly(FileAlreadyExistsException.class, () -> MmapFile.createDefault(file, SIZE));
        assertEquals(4096, Files.size(file));
        try (Mapping<SequentialAllocator> replaced = MmapFile.create(file, SIZE, AllocatorType.SEQUENTIAL,
            CreateOption.REPLACE_EXISTING))
        {
            assertEquals(SIZE, replaced.file().size());
            assertEquals(SIZE, Files.size(file));
        }
        assertEquals(List.of(), LockedFile.temporaries(file));
    }
}
