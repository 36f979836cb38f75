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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam code outside the store's package opens a store through (benchmarks, probes): the store's durability
 * steps go through the given {@link StoreIo}, and nobody but {@link PageStore} can install the opener.
 */
class StoreSeamsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldOpenAStoreWhoseCheckpointsGoThroughTheGivenIo() throws IOException
    {
        final Path file = dir.resolve("s.store");
        PageStore.create(file, 16).close();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger flushes = new AtomicInteger();
        final StoreIo counting = new StoreIo()
        {
            @Override
            public void writeAt(final RawMmapFile mapped, final long offset, final byte[] page)
            {
                writes.incrementAndGet();
                StoreIo.DIRECT.writeAt(mapped, offset, page);
            }

            @Override
            public void flushRange(final RawMmapFile mapped, final long offset, final long length) throws IOException
            {
                flushes.incrementAndGet();
                StoreIo.DIRECT.flushRange(mapped, offset, length);
            }

            @Override
            public void syncDirectory(final Path directory) throws IOException
            {
                StoreIo.DIRECT.syncDirectory(directory);
            }
        };
        try (PageStore store = StoreSeams.open(file, StoreOptions.defaults(), counting);
            PageWriter writer = store.newWriter())
        {
            store.checkpoint(List.of(writer.write(writer.allocate(), new byte[PageStore.PAGE_SIZE])));
            assertEquals(1, store.lastCheckpoint());
        }
        assertTrue(writes.get() >= 2, "metadata and superblock went through the seam: writes=" + writes);
        assertTrue(flushes.get() >= 1, "the flush went through the seam: flushes=" + flushes);
        try (PageStore reopened = PageStore.open(file))
        {
            assertEquals(1, reopened.lastCheckpoint());
        }
    }

    @Test
    void shouldRefuseAnOpenerThatIsNotPageStores()
    {
        final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
            () -> StoreSeams.install((path, options, io) -> null));
        assertTrue(ex.getMessage().startsWith("only PageStore installs the opener"), ex.getMessage());
    }
}
