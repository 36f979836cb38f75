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
package io.rangedmmap.store.internal;

import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small checkpoint writes back the pages it changed, not the page-cache folios around them: without
 * {@link PageCacheAdvice}, a one-page checkpoint far into a store created at its final size dirtied a whole 2 MiB
 * folio (2,055 KiB a checkpoint, measured on Linux 6.18 with ext4). The bytes are read from {@code /proc/self/io}'s
 * {@code write_bytes}, which the kernel charges when a page-cache page is dirtied, a folio at a time.
 */
class PageCacheAdviceTest
{
    private static final Path PROC_IO = Path.of("/proc/self/io");
    private static final int COMMITS = 64;
    /**
     * One page, its group's metadata page, the superblock and file-system journal blocks: far below one large folio.
     */
    private static final long MOST_BYTES_PER_COMMIT = 128 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldWriteBackOnlyWhatAOnePageCheckpointChangedInAStoreCreatedAtItsFinalSize() throws IOException
    {
        checkSmallCheckpoints(PageStore.create(dir.resolve("presized.db"), 1 << 16), 40_000);
    }

    @Test
    void shouldWriteBackOnlyWhatAOnePageCheckpointChangedInPagesAddedByGrowth() throws IOException
    {
        final PageStore store = PageStore.create(dir.resolve("grown.db"), 256,
            StoreOptions.defaults().withMaxPages(1 << 16));
        store.grow(1 << 16);
        checkSmallCheckpoints(store, 40_000);
    }

    @Test
    void shouldWriteBackOnlyWhatAOnePageCheckpointChangedAfterAReopen() throws IOException
    {
        final Path path = dir.resolve("reopened.db");
        PageStore.create(path, 1 << 16).close();
        checkSmallCheckpoints(PageStore.open(path), 40_000);
    }

    private static void checkSmallCheckpoints(final PageStore created, final int skipped) throws IOException
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(PROC_IO), "needs /proc/self/io");
        try (PageStore store = created; PageWriter held = store.newWriter(); PageWriter writer = store.newWriter())
        {
            // Holding the low pages sends the commits far into the file, where read-around would cache large folios.
            held.allocate(skipped);
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            new Random(7).nextBytes(data);
            long previous = -1;
            final long before = writeBytes();
            for (int i = 0; i < COMMITS; i++)
            {
                final long page = writer.allocate();
                assertTrue(page >= skipped, "page=" + page + " should lie past the held pages");
                final PageReceipt receipt = writer.write(page, data);
                if (previous >= 0)
                {
                    store.free(previous);
                }
                store.checkpoint(List.of(receipt));
                previous = page;
            }
            final long perCommit = (writeBytes() - before) / COMMITS;
            assertTrue(perCommit <= MOST_BYTES_PER_COMMIT, "a one-page checkpoint dirtied " + perCommit +
                " bytes of page cache, expected at most " + MOST_BYTES_PER_COMMIT);
        }
    }

    private static long writeBytes() throws IOException
    {
        for (final String line : Files.readAllLines(PROC_IO))
        {
            if (line.startsWith("write_bytes:"))
            {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        throw new IllegalStateException("no write_bytes in " + PROC_IO);
    }
}
