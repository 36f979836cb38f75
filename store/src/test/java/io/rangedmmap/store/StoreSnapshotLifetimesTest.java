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

import io.rangedmmap.store.internal.PageLifetimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page lifetimes snapshots read exist only while a snapshot is open and hold only the pages changed meanwhile:
 * none before the first snapshot and after the last, one entry per page changed while one is open, and, when
 * snapshots roll over (each opened before the previous one closes, so one is always open), a size that follows the
 * changes since the oldest open snapshot, not all the changes since the first.
 */
class StoreSnapshotLifetimesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldHoldLifetimesOnlyWhileASnapshotIsOpenAndOnlyForThePagesChangedMeanwhile() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("l.store"), 1024);
            PageWriter writer = store.newWriter())
        {
            final List<Long> ids = writeAndCheckpoint(store, writer, 100, 0);
            assertNull(store.lifetimes());
            final PageLifetimes lifetimes;
            try (StoreSnapshot first = store.snapshot())
            {
                lifetimes = store.lifetimes();
                assertNotNull(lifetimes);
                assertEquals(0, lifetimes.entries());
                try (StoreSnapshot second = store.snapshot())
                {
                    assertSame(lifetimes, second.lifetimes());
                }
                assertSame(lifetimes, store.lifetimes(), "still held by the first snapshot");
                final List<Long> added = writeAndCheckpoint(store, writer, 10, 1000);
                for (int i = 0; i < 5; i++)
                {
                    store.free(ids.get(i));
                }
                store.checkpoint(List.of());
                assertEquals(15, lifetimes.entries());
                for (int i = 0; i < ids.size(); i++)
                {
                    assertTrue(first.isLive(ids.get(i)));
                    assertArrayEquals(page(i), read(first, ids.get(i)));
                }
                for (final long id : added)
                {
                    assertFalse(first.isLive(id));
                    assertThrowsExactly(PageNotInSnapshotException.class, () -> read(first, id));
                }
            }
            assertNull(store.lifetimes(), "dropped by the last snapshot to close");
            writeAndCheckpoint(store, writer, 10, 2000);
            assertEquals(15, lifetimes.entries(), "no longer recorded in");
            try (StoreSnapshot again = store.snapshot())
            {
                assertNotNull(store.lifetimes());
                assertFalse(lifetimes == store.lifetimes(), "a new one, from the newest checkpoint");
                assertEquals(0, store.lifetimes().entries());
                assertFalse(again.isLive(ids.get(0)), "freed before");
                assertTrue(again.isLive(ids.get(5)));
            }
        }
    }

    @Test
    void shouldKeepOnlyTheChangesSinceTheOldestOpenSnapshotWhileSnapshotsRollOver() throws IOException
    {
        final int pages = 512;
        final int perSnapshot = 50;
        try (PageStore store = PageStore.create(dir.resolve("r.store"), pages,
            StoreOptions.defaults().withExtentPages(1));
            PageWriter writer = store.newWriter())
        {
            // What each open snapshot must read: page id to seed, at its checkpoint.
            final ArrayDeque<StoreSnapshot> open = new ArrayDeque<>();
            final Map<StoreSnapshot, Map<Long, Integer>> expected = new HashMap<>();
            final Map<Long, Integer> live = new HashMap<>();
            final ArrayDeque<Long> order = new ArrayDeque<>();
            int seed = 0;
            int maxEntries = 0;
            long changes = 0;
            for (int generation = 0; generation < 200; generation++)
            {
                // Replace perSnapshot pages: free the oldest, write new ones (reusing freed ids once released).
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < perSnapshot && live.size() > pages / 4; i++)
                {
                    final long id = order.removeFirst();
                    store.free(id);
                    live.remove(id);
                    changes++;
                }
                for (int i = 0; i < perSnapshot; i++)
                {
                    final long id = writer.allocate();
                    receipts.add(writer.write(id, page(++seed)));
                    live.put(id, seed);
                    order.addLast(id);
                    changes++;
                }
                store.checkpoint(receipts);
                final StoreSnapshot snapshot = store.snapshot();
                open.addLast(snapshot);
                expected.put(snapshot, new HashMap<>(live));
                if (open.size() > 2)
                {
                    final StoreSnapshot oldest = open.removeFirst();
                    check(oldest, expected.remove(oldest), pages);
                    oldest.close();
                }
                maxEntries = Math.max(maxEntries, store.lifetimes().entries());
            }
            for (final StoreSnapshot snapshot : open)
            {
                check(snapshot, expected.get(snapshot), pages);
                snapshot.close();
            }
            assertNull(store.lifetimes());
            // About 3 snapshots' worth of changes kept (up to half the table between two rebuilds), not all of them.
            assertTrue(maxEntries <= 2048, "most entries: " + maxEntries + " after " + changes + " changes");
            assertTrue(changes > 10 * maxEntries, "most entries: " + maxEntries + " after " + changes + " changes");
        }
    }

    private static void check(final StoreSnapshot snapshot, final Map<Long, Integer> expected, final int pages)
    {
        for (long id = 0; id < pages; id++)
        {
            final Integer seed = expected.get(id);
            assertEquals(null != seed, snapshot.isLive(id), "page=" + id + " at " + snapshot.sequence());
            if (null != seed)
            {
                assertArrayEquals(page(seed), read(snapshot, id), "page=" + id + " at " + snapshot.sequence());
            }
        }
    }

    private static List<Long> writeAndCheckpoint(final PageStore store, final PageWriter writer, final int count,
        final int firstSeed) throws IOException
    {
        final List<Long> ids = new ArrayList<>();
        final List<PageReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long id = writer.allocate();
            ids.add(id);
            receipts.add(writer.write(id, page(firstSeed + i)));
        }
        store.checkpoint(receipts);
        return ids;
    }

    private static byte[] read(final StoreSnapshot snapshot, final long id)
    {
        final byte[] bytes = new byte[PageStore.PAGE_SIZE];
        snapshot.read(id, bytes);
        return bytes;
    }
}
