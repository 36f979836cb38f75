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
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What open rebuilds from a store file: the page table, CRCs and free runs of the last durable checkpoint, from the
 * superblocks and the metadata table alone.
 */
class RecoveryTest
{
    private static final int PAGES = 1_200;

    @TempDir
    Path dir;

    /**
     * Writes {@code first} pages and checkpoints them, then {@code second} more pages and checkpoints those.
     *
     * @return the CRC of every live page after each checkpoint: {@code [afterFirst, afterSecond]}.
     */
    private List<Map<Long, Integer>> build(final Path file, final int first, final int second) throws IOException
    {
        final List<Map<Long, Integer>> live = new ArrayList<>();
        final byte[] killed;
        try (PageStore store = PageStore.create(file, PAGES); PageWriter writer = store.newWriter())
        {
            final Map<Long, Integer> crcs = new HashMap<>();
            for (final int batch : new int[]{first, second})
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < batch; i++)
                {
                    final long pageId = writer.allocate();
                    final PageReceipt receipt = writer.write(pageId, view -> view.putLong(0, pageId * 31 + 7));
                    receipts.add(receipt);
                    crcs.put(pageId, receipt.crc32c());
                }
                store.checkpoint(receipts);
                live.add(new HashMap<>(crcs));
            }
            killed = Files.readAllBytes(file);
        }
        // As a kill -9 leaves it: a clean close would make both copies and both superblocks the second checkpoint's.
        Files.write(file, killed);
        return live;
    }

    private static Recovery recover(final Path file) throws IOException
    {
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            return Recovery.recover(raw, file);
        }
    }

    private static void assertTableHolds(final Map<Long, Integer> live, final Recovery recovery, final Path file)
        throws IOException
    {
        final PageTable table = recovery.table();
        assertEquals(PAGES, table.size());
        final List<Long> free = new ArrayList<>();
        for (int page = 0; page < table.size(); page++)
        {
            final Integer crc = live.get((long)page);
            if (null == crc)
            {
                assertEquals(PageTable.FREE, table.stateAcquire(page), "page " + page);
                free.add((long)page);
            }
            else
            {
                assertEquals(PageTable.LIVE, table.stateAcquire(page), "page " + page);
                try (RawMmapFile raw = RawMmapFile.open(file))
                {
                    // The CRC32C of a live page stays in the current metadata copy (LiveCrcs).
                    assertEquals(crc, new LiveCrcs(raw, recovery.superblock().sequence()).crc(page),
                        "crc of page " + page);
                }
            }
        }
        assertEquals(live.size(), recovery.superblock().livePages());
        assertEquals(Runs.of(free.stream().mapToLong(Long::longValue).toArray()).toString(),
            recovery.free().toString());
    }

    @Test
    void shouldRebuildTheLastCheckpointsTableCrcsAndFreeRuns() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final List<Map<Long, Integer>> live = build(file, 600, 300);
        final Recovery recovery = recover(file);
        assertTableHolds(live.get(1), recovery, file);
        assertEquals(PAGES, recovery.layout().pageCount());
    }

    @Test
    void shouldRecoverAFreshStoreWithEveryPageFree() throws IOException
    {
        final Path file = dir.resolve("s.store");
        PageStore.create(file, PAGES).close();
        final Recovery recovery = recover(file);
        assertTableHolds(Map.of(), recovery, file);
        assertEquals(1, recovery.free().count());
        assertEquals(PAGES, recovery.free().pages());
    }

    /**
     * Bounded work: open reads the superblocks and the metadata table, and of the user pages only those the newest
     * checkpoint wrote, when one flush made it durable (at most {@code Checkpointer.ONE_FLUSH_MAX_PAGES}); after an
     * empty checkpoint, none. Every user page is overwritten with garbage after that empty checkpoint; recovery must
     * rebuild exactly the same state, with the CRCs the metadata recorded (a recovery that read or checked other
     * user pages would see the garbage).
     */
    @Test
    void shouldReadNoUserPage() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final List<Map<Long, Integer>> live = build(file, 500, 100);
        try (PageStore store = PageStore.open(file))
        {
            store.checkpoint(List.of());
        }
        final StoreLayout layout = new StoreLayout(PAGES);
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            final byte[] garbage = new byte[StoreLayout.PAGE_SIZE];
            Arrays.fill(garbage, (byte)0xA5);
            for (long page = 0; page < PAGES; page++)
            {
                raw.writeAt(layout.dataOffset(page), garbage);
            }
        }
        assertTableHolds(live.get(1), recover(file), file);
    }

    /**
     * A torn newest superblock (its CRC fails) leaves the one before it: recovery falls back to the previous
     * checkpoint, whose metadata copy the newest did not overwrite.
     */
    @Test
    void shouldFallBackToThePreviousCheckpointWhenTheNewestSuperblockIsDamaged() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final List<Map<Long, Integer>> live = build(file, 400, 200);
        final long newest = recover(file).superblock().sequence();
        final List<Long> sequences = new ArrayList<>();
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            final Path copy = dir.resolve("slot" + slot + ".store");
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            damage(copy, StoreLayout.superblockOffset(slot) + 64);
            final Recovery recovery = recover(copy);
            sequences.add(recovery.superblock().sequence());
            assertTableHolds(live.get(newest == recovery.superblock().sequence() ? 1 : 0), recovery, copy);
        }
        sequences.sort(null);
        assertEquals(List.of(newest - 1, newest), sequences);
    }

    @Test
    void shouldRefuseAStoreWithBothSuperblocksDamaged() throws IOException
    {
        final Path file = dir.resolve("s.store");
        build(file, 10, 10);
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            damage(file, StoreLayout.superblockOffset(slot) + 64);
        }
        final IncompatibleStoreException ex = assertThrowsExactly(IncompatibleStoreException.class, () ->
            recover(file));
        assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, ex.problem());
    }

    @Test
    void shouldRefuseACurrentMetadataPageThatFailsItsCheck() throws IOException
    {
        final Path file = dir.resolve("s.store");
        build(file, 10, 10);
        final Recovery before = recover(file);
        // Both copies: with the current one alone damaged, open falls back to the previous checkpoint, whose copy
        // the newest never overwrote (a one-flush checkpoint not all on disk); with both, nothing is left to use.
        damage(file, before.layout().metadataOffset(before.superblock().currentCopy(), 0) + 100);
        damage(file, before.layout().metadataOffset(1 - before.superblock().currentCopy(), 0) + 100);
        final IncompatibleStoreException ex = assertThrowsExactly(IncompatibleStoreException.class, () ->
            recover(file));
        assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, ex.problem());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
    }

    @Test
    void shouldListTheTablePagesWhereTheOtherCopyDiffers() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final byte[] killed = oneCheckpointThenClose(file);
        // Closed cleanly: the copies are equal, nothing is stale, and the other copy is not even read.
        final Recovery clean = recover(file);
        assertTrue(clean.clean());
        assertArrayEquals(new long[0], clean.staleTablePages());
        // As a kill -9 leaves it.
        Files.write(file, killed);
        final Recovery recovery = recover(file);
        assertFalse(recovery.clean());
        assertArrayEquals(new long[]{0}, recovery.staleTablePages(),
            "the first checkpoint wrote table page 0 of one copy only");
    }

    @Test
    void shouldLeaveTheComparisonOfTheCopiesToTheFirstCheckpointWhenOpeningLazilyAfterACrash() throws IOException
    {
        final Path file = dir.resolve("s.store");
        Files.write(file, oneCheckpointThenClose(file));
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            final Recovery recovery = Recovery.recover(raw, file, 0, true);
            assertTrue(recovery.lazy(), "lazy after a crash too");
            assertFalse(recovery.clean());
            assertNull(recovery.staleTablePages(), "not compared");
            assertEquals(1, recovery.superblock().sequence());
            assertEquals(1, recovery.superblock().highWater(), "one group to load at its first touch");
            final StaleGroups stale = new StaleGroups(raw, file, recovery.layout(), recovery.superblock(),
                recovery.table(), new Lifecycle(file.toString()));
            recovery.table().unloaded(1, new LazyGroups(raw, file, recovery.layout(), recovery.superblock(),
                new ExtentAllocator(recovery.free(), 1), new Lifecycle(file.toString())));
            assertArrayEquals(Recovery.recover(raw, file).staleTablePages(), stale.get(),
                "the same groups as the full open");
            assertArrayEquals(new long[]{0}, stale.get());
        }
    }

    /**
     * {@return the file as a kill -9 leaves it after a store's first checkpoint, of one page}: the store is then
     * closed cleanly.
     */
    private static byte[] oneCheckpointThenClose(final Path file) throws IOException
    {
        try (PageStore store = PageStore.create(file, PAGES); PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            store.checkpoint(List.of(writer.write(pageId, view -> view.putLong(0, 1))));
            return Files.readAllBytes(file);
        }
    }

    private static void damage(final Path file, final long offset) throws IOException
    {
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            final byte[] one = new byte[1];
            raw.readAt(offset, one);
            one[0] ^= (byte)0xFF;
            raw.writeAt(offset, one);
        }
    }
}
