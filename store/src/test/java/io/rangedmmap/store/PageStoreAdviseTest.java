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

import io.rangedmmap.mmap.Advice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageStoreAdviseTest
{
    @TempDir
    Path dir;

    @Test
    void shouldChangeNoByteNoStateAndNothingDurable() throws IOException
    {
        final Path file = dir.resolve("s.store");
        try (PageStore store = PageStore.create(file, 64); PageWriter writer = store.newWriter())
        {
            final long live = writer.allocate();
            store.checkpoint(List.of(writer.write(live, PageStoreTest.page(1))));
            final long written = writer.allocate();
            writer.write(written, PageStoreTest.page(2));
            final long first = writer.allocate(8);
            final StoreStats before = store.stats();
            for (final Advice advice : Advice.values())
            {
                store.advise(0, store.pageCount(), advice);
            }
            store.advise(first, 8, Advice.POPULATE_WRITE);
            store.advise(63, 0, Advice.WILL_NEED);
            assertEquals(before, store.stats());
            assertArrayEquals(PageStoreTest.page(1), PageStoreTest.read(store, live));
            assertArrayEquals(PageStoreTest.page(2), PageStoreTest.read(store, written));
            writer.write(first, PageStoreTest.page(3));
            assertArrayEquals(PageStoreTest.page(3), PageStoreTest.read(store, first));
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(1, store.stats().livePages());
            assertTrue(store.verify().isClean());
        }
    }

    @Test
    void shouldRefusePagesOutsideTheStore() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 64))
        {
            final IndexOutOfBoundsException ex = assertThrowsExactly(IndexOutOfBoundsException.class,
                () -> store.advise(60, 5, Advice.WILL_NEED));
            assertEquals("Range [60, 60 + 5) out of bounds for length 64", ex.getMessage());
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> store.advise(-1, 1, Advice.WILL_NEED));
            assertThrowsExactly(NullPointerException.class, () -> store.advise(0, 1, null));
        }
    }

    @Test
    void shouldRefuseAClosedStore() throws IOException
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), 64);
        store.close();
        final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class,
            () -> store.advise(0, 1, Advice.WILL_NEED));
        assertEquals("page store " + store.path() + " is closed", ex.getMessage());
    }

    /**
     * A copying write into a page faulted in writable with {@code POPULATE_WRITE} goes through the mapping, into any
     * other page by {@code pwrite}: either way the bytes are read back, checkpointed and found after a reopen, and a
     * checkpoint forgets the populated pages (its flush write-protected them).
     */
    @Test
    void shouldWritePopulatedPagesThroughTheMappingAndOthersByPwrite() throws IOException
    {
        final Path file = dir.resolve("p.store");
        final long first;
        try (PageStore store = PageStore.create(file, 64); PageWriter writer = store.newWriter())
        {
            first = writer.allocate(16);
            store.advise(first, 8, Advice.POPULATE_WRITE);
            final java.util.ArrayList<PageReceipt> receipts = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++)
            {
                assertEquals(i < 8, store.populated().contains(first + i), "page " + i);
                receipts.add(0 == i % 2 ? writer.write(first + i, PageStoreTest.page(i)) :
                    writer.write(first + i, java.nio.ByteBuffer.wrap(PageStoreTest.page(i))));
                assertArrayEquals(PageStoreTest.page(i), PageStoreTest.read(store, first + i));
            }
            store.checkpoint(receipts);
            assertTrue(!store.populated().contains(first), "forgotten after the checkpoint");
        }
        try (PageStore store = PageStore.open(file))
        {
            for (int i = 0; i < 16; i++)
            {
                assertArrayEquals(PageStoreTest.page(i), PageStoreTest.read(store, first + i));
            }
            assertTrue(store.verify().isClean());
        }
    }
}
