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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed {@link PageWriter#allocate(int)} returns what it claimed (issue 9, item 4): on a fragmented store, a run
 * that does not exist leaves every free page available to the other writers and to the failing one.
 */
class PageWriterAllocateTest
{
    private static final int PAGES = 4096;

    @TempDir
    Path dir;

    @Test
    void shouldReturnEveryClaimedPageWhenARunCannotBeFound() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), PAGES))
        {
            fragment(store);
            assertEquals(PAGES / 2, store.stats().freePages());
            final PageWriter failing = store.newWriter();
            try (PageWriter other = store.newWriter())
            {
                // Its first page comes with an extent of the lowest free pages, which the failed call gives back.
                assertEquals(1, failing.allocate());
                final StoreFullException full = assertThrowsExactly(StoreFullException.class,
                    () -> failing.allocate(16));
                assertEquals("no run of count=16 free pages is left in " + store.path() + " (pageCount=" + PAGES +
                    ", maxPages=" + PAGES + "; the free pages of every writer's extent were counted); free pages " +
                    "and checkpoint, or discard aborted writes", full.getMessage());
                assertEquals(PAGES / 2 - 1, store.stats().freePages());
                // Every free page is still there for another writer, and for the one that failed.
                final Set<Long> handedOut = new HashSet<>();
                assertEquals(3, failing.allocate());
                // Its page and the rest of its extent go back unwritten.
                failing.close();
                for (int i = 0; i < PAGES / 2; i++)
                {
                    assertTrue(handedOut.add(other.allocate()));
                }
                assertThrowsExactly(StoreFullException.class, other::allocate);
                for (final long pageId : handedOut)
                {
                    assertEquals(1, pageId % 2, "only the freed odd pages are free");
                }
            }
            assertEquals(PAGES / 2, store.stats().freePages(), "closed writers return what they did not write");
        }
    }

    /**
     * Writes every page, then frees every odd one: the free pool is {@code PAGES / 2} runs of one page.
     */
    private static void fragment(final PageStore store)
    {
        try (PageWriter writer = store.newWriter())
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < PAGES; i++)
            {
                final long pageId = writer.allocate();
                receipts.add(writer.write(pageId, page(pageId)));
            }
            store.checkpoint(receipts);
        }
        for (long pageId = 1; pageId < PAGES; pageId += 2)
        {
            store.free(pageId);
        }
        store.checkpoint(List.of());
    }
}
