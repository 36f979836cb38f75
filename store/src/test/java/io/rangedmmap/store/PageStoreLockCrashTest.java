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

import io.rangedmmap.mmap.FileLockedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Locking (matrix row 5): a store is open in one place at a time. A second open in the same JVM and one from another
 * process are refused; the refused attempt, which opened and closed its own file handle, does not drop the holder's
 * lock (another process is still refused after it); and a {@code kill -9} of the holder frees the lock.
 */
@Tag("crash")
class PageStoreLockCrashTest
{
    @TempDir
    Path dir;

    private Path newStore() throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        try (PageStore store = PageStore.create(file, 16); PageWriter writer = store.newWriter())
        {
            store.checkpoint(List.of(writer.write(writer.allocate(), page(1))));
        }
        return file;
    }

    private static String probe(final Path file) throws Exception
    {
        final ChildJvm child = ChildJvm.start(LockChild.class, "probe", file.toString());
        final String line = child.awaitLine("OPENED", "LOCKED");
        child.finish(30);
        return line;
    }

    @Test
    void shouldRefuseASecondOpenHereAndElsewhereAndKeepTheLockAfterTheRefusals() throws Exception
    {
        final Path file = newStore();
        try (PageStore store = PageStore.open(file))
        {
            final FileLockedException here = assertThrowsExactly(FileLockedException.class, () -> PageStore.open(file));
            assertTrue(here.getMessage().contains(file.toString()), here.getMessage());
            assertThrowsExactly(FileLockedException.class, () -> PageStore.open(file));
            // The refused opens closed their own channel: the lock must survive that.
            final String elsewhere = probe(file);
            assertTrue(elsewhere.startsWith("LOCKED ") && elsewhere.contains(file.toString()), elsewhere);
            assertThrowsExactly(FileLockedException.class, () -> PageStore.open(file));
            assertTrue(probe(file).startsWith("LOCKED "), "still locked after a second refusal here");
            assertEquals(1, store.lastCheckpoint());
            assertEquals(List.of(), store.verify().corruptPages());
        }
        assertEquals("OPENED checkpoint=1", probe(file));
    }

    @Test
    void shouldFreeTheLockWhenTheHolderIsKilled() throws Exception
    {
        final Path file = newStore();
        final ChildJvm holder = ChildJvm.start(LockChild.class, "hold", file.toString());
        try
        {
            assertEquals("HELD checkpoint=1", holder.awaitLine("HELD"));
            assertThrowsExactly(FileLockedException.class, () -> PageStore.open(file));
            assertTrue(probe(file).startsWith("LOCKED "));
        }
        finally
        {
            holder.kill9();
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(1, store.lastCheckpoint());
        }
        assertEquals("OPENED checkpoint=1", probe(file));
    }
}
