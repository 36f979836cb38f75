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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receipt proves one write of its page (issue 9, item 2): a stale receipt, of a write since checkpointed and
 * freed, is refused with {@link IllegalArgumentException} before anything is written, and never commits the page's
 * new write.
 */
class PageReceiptTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAStaleReceiptOfAPageWrittenAgainByAnotherWriter() throws Exception
    {
        final Path file = dir.resolve("s.store");
        try (PageStore store = PageStore.create(file, 1, StoreOptions.defaults().withExtentPages(1));
            PageWriter w = store.newWriter(); PageWriter w2 = store.newWriter())
        {
            final PageReceipt r1 = w.write(w.allocate(), page(1));
            assertEquals(0, r1.pageId());
            store.checkpoint(List.of(r1));
            store.free(0);
            store.checkpoint(List.of());
            final PageReceipt r2 = w2.write(w2.allocate(), page(2));
            assertEquals(0, r2.pageId());

            final byte[] before = Files.readAllBytes(file);
            final IllegalArgumentException ex =
                assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpoint(List.of(r1)));
            assertTrue(ex.getMessage().startsWith("receipt for page=0 of " + store.path() + " is stale: it proves " +
                "a write (stamp=1, crc32c=0x" + Integer.toHexString(r1.crc32c()) + ") that is no longer the " +
                "page's"), ex.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "a refused checkpoint writes nothing");
            assertEquals(2, store.lastCheckpoint());

            // w2's own receipt still commits its page.
            store.checkpoint(List.of(r2));
            assertArrayEquals(page(2), PageStoreTest.read(store, 0));
            // Now the page is live with w2's write: r1 is still stale (IAE), r2 already checkpointed (ISE).
            assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpoint(List.of(r1)));
            assertThrowsExactly(IllegalStateException.class, () -> store.checkpoint(List.of(r2)));
        }
    }

    @Test
    void shouldRefuseAStaleReceiptEvenWhenTheNewWriteHasTheSameBytes() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 1); PageWriter w = store.newWriter())
        {
            final PageReceipt r1 = w.write(w.allocate(), new byte[PageStore.PAGE_SIZE]);
            store.checkpoint(List.of(r1));
            store.free(0);
            store.checkpoint(List.of());
            final PageReceipt r2 = w.write(w.allocate(), new byte[PageStore.PAGE_SIZE]);
            assertEquals(r1.crc32c(), r2.crc32c());
            assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpoint(List.of(r1)));
            store.checkpoint(List.of(r2));
            assertEquals(1, store.stats().livePages());
        }
    }

    @Test
    void shouldRefuseTheReceiptOfAFreedPage() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 4); PageWriter w = store.newWriter())
        {
            final PageReceipt r1 = w.write(w.allocate(), page(1));
            store.checkpoint(List.of(r1));
            store.free(r1.pageId());
            // FREEING: the receipt's write is in a completed checkpoint.
            assertThrowsExactly(IllegalStateException.class, () -> store.checkpoint(List.of(r1)));
            store.checkpoint(List.of());
            // FREE: the write the receipt proves is gone from the page.
            assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpoint(List.of(r1)));
            assertEquals(0, store.stats().livePages());
        }
    }
}
