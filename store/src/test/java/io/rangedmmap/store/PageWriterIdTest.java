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

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writer ids never alias while both writers can be alive (issue 9, item 7): a closed writer's id is recycled, so
 * ids stay small however many writers come and go, and no later writer can write a page an open writer allocated.
 */
class PageWriterIdTest
{
    /**
     * 2^29 + 1 writers: the id that aliased writer 1 before ids were recycled.
     */
    private static final long ALIASING_LOOP = (1L << 29) + 1;

    @TempDir
    Path dir;

    @Test
    void shouldRecycleTheIdsOfClosedWriters() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16,
            StoreOptions.defaults().withExtentPages(1)))
        {
            final PageWriter first = store.newWriter();
            final long owned = first.allocate();
            for (int i = 0; i < 1_000_000; i++)
            {
                store.newWriter().close();
            }
            try (PageWriter later = store.newWriter())
            {
                // Before ids were recycled this writer had id 1,000,002; now it reuses the id closed just before.
                final long mine = later.allocate();
                final IllegalArgumentException ex =
                    assertThrowsExactly(IllegalArgumentException.class, () -> first.write(mine, page(1)));
                assertTrue(ex.getMessage().contains("(it is ALLOCATED(writer=2))"), ex.getMessage());
                final IllegalArgumentException theirs =
                    assertThrowsExactly(IllegalArgumentException.class, () -> later.write(owned, page(2)));
                assertTrue(theirs.getMessage().contains("(it is ALLOCATED(writer=1))"), theirs.getMessage());
            }
            first.close();
        }
    }

    @Test
    @Tag("soak")
    void shouldNotLetWriter2Pow29Plus1WriteThePageOfWriter1() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16,
            StoreOptions.defaults().withExtentPages(1)))
        {
            final PageWriter first = store.newWriter();
            final long owned = first.allocate();
            for (long i = 0; i < ALIASING_LOOP; i++)
            {
                store.newWriter().close();
            }
            try (PageWriter later = store.newWriter())
            {
                assertThrowsExactly(IllegalArgumentException.class, () -> later.write(owned, page(2)));
            }
            store.checkpoint(java.util.List.of(first.write(owned, page(1))));
            assertEquals(1, store.stats().livePages());
        }
    }
}
