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
package io.rangedmmap.store;

import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, item 1: two creates of one path at once, from two threads or two processes, give one store and one
 * {@link FileAlreadyExistsException}, never a 0-byte file; a crash's orphaned temporary file is removed by the next
 * create of that name.
 */
class PageStoreCreateRaceTest
{
    static final long PAGES = 64;
    private static final int THREAD_ROUNDS = 250;
    private static final int PROCESS_ROUNDS = 30;

    @TempDir
    Path dir;

    @Test
    void shouldGiveOneStoreAndOneFileAlreadyExistsExceptionToTwoThreads() throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(2);
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try
        {
            for (int round = 0; round < THREAD_ROUNDS; round++)
            {
                final Path file = dir.resolve("t-" + round + ".store");
                final List<Future<PageStore>> results = pool.invokeAll(List.of(
                    () -> create(start, file), () -> create(start, file)));
                int created = 0;
                int refused = 0;
                for (final Future<PageStore> result : results)
                {
                    try (PageStore store = result.get())
                    {
                        assertEquals(0, store.lastCheckpoint());
                        created++;
                    }
                    catch (final ExecutionException ex)
                    {
                        assertEquals(FileAlreadyExistsException.class, ex.getCause().getClass(),
                            "round " + round + ": " + ex.getCause());
                        refused++;
                    }
                }
                assertEquals(1, created, "round " + round);
                assertEquals(1, refused, "round " + round);
                assertWhole(file, "round " + round);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static PageStore create(final CyclicBarrier start, final Path file) throws Exception
    {
        start.await();
        return PageStore.create(file, PAGES);
    }

    @Test
    void shouldGiveOneStoreAndOneFileAlreadyExistsExceptionToTwoProcesses() throws Exception
    {
        final List<ChildJvm> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                final ChildJvm child = ChildJvm.start(CreateRaceChild.class, dir.toString(),
                    Integer.toString(PROCESS_ROUNDS));
                children.add(child);
                assertEquals("READY", child.awaitLine("READY"));
            }
            for (int round = 0; round < PROCESS_ROUNDS; round++)
            {
                Files.createFile(dir.resolve("go-" + round));
                final List<String> outcomes = new ArrayList<>();
                for (final ChildJvm child : children)
                {
                    outcomes.add(child.awaitLine(round + " "));
                }
                outcomes.sort(null);
                assertEquals(List.of(round + " CREATED", round + " EXISTS"), outcomes);
                assertWhole(dir.resolve("s-" + round + ".store"), "round " + round);
            }
            for (final ChildJvm child : children)
            {
                child.finish(60);
                assertEquals(0, child.exitCode());
            }
        }
        finally
        {
            for (final ChildJvm child : children)
            {
                child.kill9();
            }
        }
        for (int round = 0; round < PROCESS_ROUNDS; round++)
        {
            try (PageStore store = PageStore.open(dir.resolve("s-" + round + ".store")))
            {
                assertEquals(0, store.lastCheckpoint());
            }
        }
    }

    @Test
    void shouldRemoveAnOrphanedTemporaryFileAtTheNextCreate() throws IOException
    {
        final Path file = dir.resolve("s.store");
        // What a create killed after building its file leaves: a whole, unlocked temporary file, and its own
        // temporary file's orphan beneath it.
        final Path orphan = dir.resolve("s.store" + Formatter.TEMPORARY_SUFFIX + "7f00aa");
        final Path nested = dir.resolve("s.store" + Formatter.TEMPORARY_SUFFIX + "7f00bb" +
            Formatter.TEMPORARY_SUFFIX + "01");
        Files.write(orphan, new byte[4 * 4096]);
        Files.write(nested, new byte[0]);
        final Path unrelated = dir.resolve("t.store" + Formatter.TEMPORARY_SUFFIX + "7f00aa");
        Files.write(unrelated, new byte[4096]);
        assertEquals(2, Formatter.temporaryFiles(file).size());
        PageStore.create(file, PAGES).close();
        assertFalse(Files.exists(orphan));
        assertFalse(Files.exists(nested));
        assertTrue(Files.exists(unrelated));
        assertWhole(file, "after the orphans were removed");
    }

    private static void assertWhole(final Path file, final String when) throws IOException
    {
        assertEquals(new StoreLayout(PAGES).fileSize(), Files.size(file), when + ": the store must be whole");
        assertEquals(List.of(), Formatter.temporaryFiles(file), when + ": no temporary file may be left");
    }
}
