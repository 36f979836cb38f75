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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.StoreOracle.Snapshot;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clean close (format 4): {@code close} makes the two metadata copies equal and marks the spare superblock slot
 * with {@link SuperblockDescriptor#FLAG_CLEAN}; open then reads the current copy only; the first checkpoint of the
 * next writable run clears the mark, durably, before any metadata write. What the mark could hide (a page of the
 * spare copy the open no longer compares) is either impossible (the crash rows: {@link PowerLossCrashTest},
 * {@link KillCrashTest}) or detected, as these tests check.
 */
class PageStoreCleanCloseTest
{
    private static final long PAGES = 2_000;

    @TempDir
    Path dir;

    /**
     * Checkpoints over groups 0, 1 and 3 (with frees), then a clean close; returns what the store holds.
     */
    private static Snapshot fill(final PageStore store) throws IOException
    {
        Snapshot state = Snapshot.empty();
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        try (PageWriter writer = store.newWriter())
        {
            final long first = writer.allocate(1_600);
            for (int checkpoint = 1; checkpoint <= 4; checkpoint++)
            {
                final Map<Long, Long> added = new HashMap<>();
                final List<PageReceipt> receipts = new ArrayList<>();
                for (final long page : new long[]{first + checkpoint, first + 600 + checkpoint,
                    first + 1_560 + checkpoint})
                {
                    final long seed = page * 100 + checkpoint;
                    receipts.add(writer.write(page, page(seed)));
                    added.put(page, seed);
                }
                final List<Long> frees = new ArrayList<>();
                if (checkpoint > 2)
                {
                    final long victim = first + checkpoint - 2;
                    store.free(victim);
                    frees.add(victim);
                }
                roots[checkpoint] = checkpoint * 7L;
                store.setRoot(checkpoint, roots[checkpoint]);
                store.checkpoint(receipts);
                state = state.next(added, frees, roots);
            }
        }
        return state;
    }

    /**
     * Creates a store, fills it (see {@link #fill}) and closes it cleanly.
     */
    private static Snapshot cleanlyClosed(final Path file) throws IOException
    {
        try (PageStore store = PageStore.create(file, PAGES))
        {
            return fill(store);
        }
    }

    private static Superblock superblock(final byte[] file, final int slot)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(file, slot * PageStore.PAGE_SIZE, PageStore.PAGE_SIZE);
        assertTrue(SuperblockDescriptor.isCrcValid(buffer), "slot " + slot);
        return SuperblockDescriptor.decode(buffer);
    }

    private static boolean marked(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes, slot * PageStore.PAGE_SIZE, PageStore.PAGE_SIZE);
            if (SuperblockDescriptor.isCrcValid(buffer) &&
                0 != (SuperblockDescriptor.decode(buffer).flags() & SuperblockDescriptor.FLAG_CLEAN))
            {
                return true;
            }
        }
        return false;
    }

    private static void overwrite(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            raw.writeAt(offset, bytes);
        }
    }

    @Test
    void shouldMakeTheCopiesEqualAndMarkTheSpareSlotOnACleanClose() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Snapshot state;
        try (PageStore store = PageStore.create(file, PAGES))
        {
            state = fill(store);
            assertFalse(marked(file), "no mark while the store is open");
        }
        final byte[] bytes = Files.readAllBytes(file);
        final int current = (int)(state.sequence() & 1);
        final Superblock durable = superblock(bytes, current);
        final Superblock mark = superblock(bytes, 1 - current);
        assertEquals(state.sequence(), durable.sequence());
        assertEquals(0, durable.flags() & SuperblockDescriptor.FLAG_CLEAN);
        assertEquals(SuperblockDescriptor.FLAG_CLEAN, mark.flags(), "the mark, without FLAG_ONE_FLUSH");
        assertTrue(durable.sameCheckpointAs(mark), mark.toString());
        final StoreLayout layout = new StoreLayout(PAGES);
        assertEquals(4, durable.highWater());
        for (long group = 0; group < durable.highWater(); group++)
        {
            final int at0 = (int)layout.metadataOffset(0, group);
            final int at1 = (int)layout.metadataOffset(1, group);
            // The same entries; the headers may differ (a group no checkpoint changed since the one before carries
            // that one's sequence in one copy and the one before's in the other).
            final int header = MetadataPageDescriptor.HEADER_LENGTH;
            assertTrue(Arrays.equals(bytes, at0 + header, at0 + PageStore.PAGE_SIZE, bytes, at1 + header,
                at1 + PageStore.PAGE_SIZE), "group " + group + ": both copies hold the same entries");
        }
        try (PageStore store = PageStore.open(file))
        {
            assertArrayEquals(new long[0], store.staleTablePages(), "nothing for the next checkpoint to rewrite");
            StoreOracle.assertHoldsAndClean(store, state, null, "after a clean close");
        }
    }

    @Test
    void shouldWriteNothingWhenACleanStoreIsOpenedReadOnlyOrWithoutACheckpoint() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Snapshot state = cleanlyClosed(file);
        final byte[] before = Files.readAllBytes(file);
        try (PageStore store = PageStore.openReadOnly(file))
        {
            StoreOracle.assertHoldsAndClean(store, state, null, "read-only");
        }
        assertArrayEquals(before, Files.readAllBytes(file), "a read-only open writes nothing");
        try (PageStore store = PageStore.open(file))
        {
            StoreOracle.assertHoldsAndClean(store, state, null, "writable, no checkpoint");
            // A snapshot and a backup read the store; neither clears the mark.
            try (StoreSnapshot snapshot = store.snapshot())
            {
                assertEquals(state.sequence(), snapshot.sequence());
            }
            store.backup(dir.resolve("b.store"));
        }
        assertArrayEquals(before, Files.readAllBytes(file), "the mark is still on disk: no checkpoint wrote anything");
        try (PageStore backup = PageStore.open(dir.resolve("b.store")))
        {
            StoreOracle.assertHoldsAndClean(backup, state, null, "its backup");
        }
    }

    /**
     * The first checkpoint of a run opened from a clean close, reached by eight concurrent group-commit callers
     * (and after a growth, which writes metadata of groups above the high-water mark before any checkpoint): the
     * mark is rewritten away and flushed before any write to a metadata page below the durable high-water mark; the
     * next close marks the store again.
     */
    @Test
    void shouldClearTheMarkDurablyBeforeTheFirstMetadataWriteOfARun() throws Exception
    {
        final Path file = dir.resolve("s.store");
        Snapshot state;
        try (PageStore store = PageStore.create(file, PAGES, StoreOptions.defaults().withMaxPages(4 * PAGES)))
        {
            state = fill(store);
        }
        final long sequence = state.sequence();
        final long highWater = superblock(Files.readAllBytes(file), (int)(sequence & 1)).highWater();
        final int markSlot = 1 - (int)(state.sequence() & 1);
        final StoreLayout layout = new StoreLayout(PAGES);
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final StoreIo recording = new StoreIo()
        {
            @Override
            public void writeAt(final RawMmapFile raw, final long offset, final byte[] page)
            {
                if (offset < 2L * PageStore.PAGE_SIZE)
                {
                    final Superblock written = SuperblockDescriptor.decode(new UnsafeBuffer(page));
                    events.add(0 != (written.flags() & SuperblockDescriptor.FLAG_CLEAN) ? "mark" :
                        offset == StoreLayout.superblockOffset(markSlot) && written.sequence() == sequence ? "clear" :
                        "superblock");
                }
                else
                {
                    final long group = (offset - 2L * PageStore.PAGE_SIZE) / (StoreLayout.GROUP_FILE_PAGES *
                        (long)PageStore.PAGE_SIZE);
                    final boolean metadata = offset == layout.metadataOffset(0, group) ||
                        offset == layout.metadataOffset(1, group);
                    events.add(metadata ? group < highWater ? "metadata below" : "metadata above" : "other");
                }
                raw.writeAt(offset, page);
            }

            @Override
            public void flushRange(final RawMmapFile raw, final long offset, final long length) throws IOException
            {
                events.add(offset < 2L * PageStore.PAGE_SIZE && PageStore.PAGE_SIZE == length ? "flush superblock" :
                    "flush");
                raw.flushRange(offset, length);
            }

            @Override
            public void syncDirectory(final Path directory) throws IOException
            {
                StoreIo.DIRECT.syncDirectory(directory);
            }
        };
        final Map<Long, Long> added = new java.util.concurrent.ConcurrentHashMap<>();
        try (PageStore store = PageStore.open(file, StoreOptions.defaults(), recording))
        {
            store.grow(PAGES + 1_000);
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++)
            {
                final int thread = t;
                threads.add(Thread.ofPlatform().start(() ->
                {
                    try (PageWriter writer = store.newWriter())
                    {
                        final long pageId = writer.allocate();
                        final PageReceipt receipt = writer.write(pageId, page(9_000 + thread));
                        start.await();
                        store.checkpoint(List.of(receipt));
                        added.put(pageId, 9_000L + thread);
                    }
                    catch (final Throwable ex)
                    {
                        errors.add(ex);
                    }
                }));
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertEquals(List.of(), errors);
            state = new Snapshot(store.lastCheckpoint(), merged(state.pages(), added), state.roots());
        }
        final int clear = events.indexOf("clear");
        assertTrue(clear >= 0, events.toString());
        assertEquals("flush superblock", events.get(clear + 1), "the clearing is flushed at once: " + events);
        assertEquals(-1, events.subList(0, clear).indexOf("metadata below"), "no metadata below the high-water " +
            "mark before the mark is cleared: " + events);
        assertEquals(-1, events.subList(0, clear).indexOf("superblock"), events.toString());
        assertTrue(events.subList(0, clear).contains("metadata above"), "the growth wrote its groups first: " +
            events);
        assertEquals("mark", events.get(events.size() - 2), "the close marks it again: " + events);
        assertEquals("flush superblock", events.getLast(), events.toString());
        assertTrue(marked(file));
        try (PageStore store = PageStore.open(file))
        {
            StoreOracle.assertHoldsAndClean(store, state, null, "after the run");
            assertEquals(PAGES + 1_000, store.pageCount(), "the growth was recorded by the checkpoints");
        }
    }

    private static Map<Long, Long> merged(final Map<Long, Long> a, final Map<Long, Long> b)
    {
        final Map<Long, Long> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    @Test
    void shouldNotMarkAStoreWhoseCheckpointFailed() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Snapshot state = cleanlyClosed(file);
        final int[] flushes = {0};
        final IOException failure = new IOException("injected flush failure");
        final StoreIo failing = new StoreIo()
        {
            @Override
            public void writeAt(final RawMmapFile raw, final long offset, final byte[] page)
            {
                raw.writeAt(offset, page);
            }

            @Override
            public void flushRange(final RawMmapFile raw, final long offset, final long length) throws IOException
            {
                // The first flush clears the mark; the second is the checkpoint's.
                if (2 == ++flushes[0])
                {
                    throw failure;
                }
                raw.flushRange(offset, length);
            }

            @Override
            public void syncDirectory(final Path directory)
            {
            }
        };
        final long pageId;
        try (PageStore store = PageStore.open(file, StoreOptions.defaults(), failing);
            PageWriter writer = store.newWriter())
        {
            pageId = writer.allocate();
            final PageReceipt receipt = writer.write(pageId, page(1));
            assertEquals(failure, assertThrowsExactly(StoreFailedException.class,
                () -> store.checkpoint(List.of(receipt))).getCause());
        }
        assertEquals(2, flushes[0], "a failed store's close flushes nothing");
        assertFalse(marked(file), "the cleared mark stays cleared");
        try (PageStore store = PageStore.open(file))
        {
            // Opened as after a crash, by comparing the copies: at the failed checkpoint, whose superblock and all it
            // names the page cache kept (the flush failed, not the writes), and whose groups are stale.
            assertEquals(state.sequence() + 1, store.lastCheckpoint());
            assertTrue(store.staleTablePages().length > 0, "the failed checkpoint's groups are stale");
            StoreOracle.assertHolds(store, state.next(Map.of(pageId, 1L), List.of(), state.roots()), null,
                "after the failed checkpoint");
        }
    }

    /**
     * A store whose open fell back (or rejected a superblock) is left as found by a close with no checkpoint, for
     * whoever looks into why; after a checkpoint it is marked as usual.
     */
    @Test
    void shouldLeaveAStoreThatFellBackAsFoundUntilItsNextCheckpoint() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final byte[] killed;
        final Snapshot state;
        try (PageStore store = PageStore.create(file, PAGES))
        {
            state = fill(store);
            killed = Files.readAllBytes(file);
        }
        // As a kill -9 leaves it, with the spare slot (the previous checkpoint) then damaged.
        final int spare = 1 - (int)(state.sequence() & 1);
        killed[spare * PageStore.PAGE_SIZE + 40] ^= 1;
        Files.write(file, killed);
        try (PageStore store = PageStore.open(file))
        {
            assertTrue(store.superblockFallback().isPresent());
            StoreOracle.assertHolds(store, state, null, "spare slot damaged");
        }
        assertArrayEquals(killed, Files.readAllBytes(file), "left as found");
        try (PageStore store = PageStore.open(file))
        {
            store.setRoot(0, 5);
            store.checkpoint(List.of());
        }
        assertTrue(marked(file));
        try (PageStore store = PageStore.open(file))
        {
            assertTrue(store.superblockFallback().isEmpty());
            final long[] roots = state.roots().clone();
            roots[0] = 5;
            StoreOracle.assertHoldsAndClean(store, new Snapshot(state.sequence() + 1, state.pages(), roots), null,
                "after one more checkpoint");
        }
    }

    /**
     * Damage to the current copy of a cleanly closed store: the open reads no metadata group, so it opens; the first
     * touch of the damaged group fails the store with a typed error naming the group (fail-stop: that call and every
     * later one throw, nothing is read as free or live from it, nothing is written, not even by close), while the
     * groups before it read as ever. An eager open (as after a crash) refuses the file as it always did: the close
     * flushed that checkpoint whole, so there is no older one to fall back to.
     */
    @Test
    void shouldFailTheStoreAtTheFirstTouchOfADamagedGroupOfACleanStore() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Snapshot state = cleanlyClosed(file);
        final StoreLayout layout = new StoreLayout(PAGES);
        final long offset = layout.metadataOffset((int)(state.sequence() & 1), 1);
        final byte[] damaged = readPage(file, offset);
        damaged[300] ^= 0x10;
        overwrite(file, offset, damaged);
        final byte[] before = Files.readAllBytes(file);
        final long inGroup0 = state.pages().keySet().stream().filter(p -> p < StoreLayout.GROUP_USER_PAGES)
            .findFirst().orElseThrow();
        final long inGroup1 = state.pages().keySet().stream().filter(p -> p >= StoreLayout.GROUP_USER_PAGES &&
            p < 2 * StoreLayout.GROUP_USER_PAGES).findFirst().orElseThrow();
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(0, store.lazyGroups().loads(), "the open read no metadata group");
            assertEquals(state.pages().size(), store.stats().livePages(), "live count from the superblock");
            final byte[] page = new byte[PageStore.PAGE_SIZE];
            store.read(inGroup0, page);
            assertArrayEquals(StoreOracle.content(state.pages().get(inGroup0)), page);
            final StoreFailedException ex =
                assertThrowsExactly(StoreFailedException.class, () -> store.read(inGroup1, page));
            final IncompatibleStoreException cause = (IncompatibleStoreException)ex.getCause();
            assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, cause.problem());
            assertTrue(cause.getMessage().contains("metadata group=1") &&
                cause.getMessage().contains("metadata page 1"), cause.getMessage());
            assertThrowsExactly(StoreFailedException.class, () -> store.read(inGroup0, page), "fail-stop");
            assertThrowsExactly(StoreFailedException.class, () -> store.read(inGroup1, page), "fail-stop");
            assertThrowsExactly(StoreFailedException.class, store::stats);
            assertThrowsExactly(StoreFailedException.class, () -> store.checkpoint(List.of()));
        }
        assertArrayEquals(before, Files.readAllBytes(file), "nothing written after the failure, close included");
        try (PageStore store = PageStore.open(file))
        {
            // The mark is still on disk: the next open is lazy again, and fails at the same touch.
            final byte[] page = new byte[PageStore.PAGE_SIZE];
            store.read(inGroup0, page);
            assertThrowsExactly(StoreFailedException.class, () -> store.read(inGroup1, page), "again");
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            final IncompatibleStoreException eager = assertThrowsExactly(IncompatibleStoreException.class,
                () -> io.rangedmmap.store.internal.Recovery.recover(raw, file));
            assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, eager.problem());
            assertTrue(eager.getMessage().contains("metadata page 1"), eager.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    /**
     * What the mark could hide: a page of the spare copy that the open no longer compares. A valid page there that
     * differs from the current one (what a checkpoint interrupted after the mark would leave, which the clearing
     * before any metadata write makes impossible) is found by {@code verify} as a metadata problem, before a
     * checkpoint makes that copy current; a damaged one as lost redundancy. Neither changes what the store reads.
     */
    @Test
    void shouldDetectInVerifyASparePageTheOpenNoLongerCompares() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Snapshot state = cleanlyClosed(file);
        final StoreLayout layout = new StoreLayout(PAGES);
        final int spare = 1 - (int)(state.sequence() & 1);
        final byte[] planted = readPage(file, layout.metadataOffset(spare, 1));
        final UnsafeBuffer buffer = new UnsafeBuffer(planted);
        // Group 1 with one more live page, sealed as a valid page of the newest checkpoint's sequence.
        final long extra = MetadataPageDescriptor.ENTRIES_PER_PAGE + 400;
        assertFalse(state.pages().containsKey(extra));
        MetadataPageDescriptor.putEntry(buffer, extra, MetadataPageDescriptor.FLAG_LIVE, 0x1234);
        MetadataPageDescriptor.seal(buffer, 1, state.sequence());
        overwrite(file, layout.metadataOffset(spare, 1), planted);
        try (PageStore store = PageStore.open(file))
        {
            StoreOracle.assertContents(store, state, null, "a planted spare page");
            final VerifyReport report = store.verify();
            assertEquals(1, report.metadataProblems().size(), report.toString());
            assertTrue(report.metadataProblems().getFirst().contains("table page 1 differs from the current copy"),
                report.toString());
        }
        final byte[] garbage = page(77);
        overwrite(file, layout.metadataOffset(spare, 3), garbage);
        overwrite(file, layout.metadataOffset(spare, 1), readPage(file, layout.metadataOffset(1 - spare, 1)));
        try (PageStore store = PageStore.open(file))
        {
            StoreOracle.assertContents(store, state, null, "a damaged spare page");
            final VerifyReport report = store.verify();
            assertEquals(List.of(), report.metadataProblems(), report.toString());
            assertEquals(1, report.redundancyProblems().size(), report.toString());
            assertNotNull(report.redundancyProblems().getFirst());
        }
    }

    private static byte[] readPage(final Path file, final long offset) throws IOException
    {
        final byte[] bytes = new byte[PageStore.PAGE_SIZE];
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            raw.readAt(offset, bytes);
        }
        return bytes;
    }
}
