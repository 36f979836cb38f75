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

import io.rangedmmap.store.StoreOracle.Snapshot;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Torn and corrupt metadata (matrix row 3), on a store of 600 pages (two metadata pages per copy) after three
 * checkpoints. Each superblock write torn at every 512-byte boundary (and, finer, every 4 bytes of its encoded
 * part), both ways round, falls back to the previous checkpoint exactly unless the new encoded bytes are whole.
 * Every single-bit flip of both superblock pages (65,536 opens, in CI too) gives the newest checkpoint, the previous
 * one when the flip hit the newest superblock, or a typed {@link IncompatibleStoreException}, never anything else.
 * Random flips: in the current metadata copy of the newest checkpoint (made durable by one flush, so open verifies
 * what it newly names), an open at the previous checkpoint, exactly, with the file untouched; in the other copy, a
 * normal open whose next checkpoint repairs it; in a page the newest checkpoint wrote, the same fall back; in another
 * live user page, a {@link CorruptPageException} on read and in {@link PageStore#verify()}; in a free page,
 * nothing. CI runs 300 random flips of each kind, the soak scale 20,000:
 * {@code mvn -B -o -pl store test -Dsurefire.excludedGroups=none -Dgroups=soak
 * -Dtest=CorruptMetadataCrashTest}.
 */
@Tag("crash")
@Timeout(300)
class CorruptMetadataCrashTest
{
    private static final int PAGE = PageStore.PAGE_SIZE;
    private static final int SUPERBLOCK_BYTES = SuperblockDescriptor.LENGTH;
    private static final long PAGES = 600;

    @TempDir
    Path dir;

    private Path file;
    private final List<byte[]> images = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final StoreLayout layout = new StoreLayout(PAGES);

    @BeforeEach
    void buildThreeCheckpoints() throws IOException
    {
        file = dir.resolve("s.store").toAbsolutePath();
        Snapshot snapshot = Snapshot.empty();
        try (PageStore store = PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(4)))
        {
            images.add(Files.readAllBytes(file));
            snapshots.add(snapshot);
            final long[] roots = new long[PageStore.ROOT_SLOTS];
            try (PageWriter writer = store.newWriter())
            {
                for (int checkpoint = 1; checkpoint <= 3; checkpoint++)
                {
                    final Map<Long, Long> added = new HashMap<>();
                    final List<PageReceipt> receipts = new ArrayList<>();
                    final long first = writer.allocate(checkpoint == 1 ? 520 : 3);
                    for (final long page : checkpoint == 1 ? new long[]{first, first + 1, first + 515}
                        : new long[]{first, first + 2})
                    {
                        receipts.add(writer.write(page, page(page * 10 + checkpoint)));
                        added.put(page, page * 10 + checkpoint);
                    }
                    final List<Long> frees = new ArrayList<>();
                    if (checkpoint == 3)
                    {
                        frees.add(snapshot.pages().keySet().stream().min(Long::compare).orElseThrow());
                        store.free(frees.getFirst());
                    }
                    roots[checkpoint] = checkpoint * 111L;
                    store.setRoot(checkpoint, roots[checkpoint]);
                    store.checkpoint(receipts);
                    snapshot = snapshot.next(added, frees, roots);
                    images.add(Files.readAllBytes(file));
                    snapshots.add(snapshot);
                }
            }
        }
    }

    @Test
    void shouldFallBackToThePreviousCheckpointWhenASuperblockWriteIsTorn() throws IOException
    {
        int opens = 0;
        for (int sequence = 1; sequence <= 3; sequence++)
        {
            final int slot = sequence & 1;
            final byte[] before = images.get(sequence - 1);
            final byte[] after = images.get(sequence);
            final List<Integer> boundaries = new ArrayList<>();
            for (int at = 0; at <= PAGE; at += 512)
            {
                boundaries.add(at);
            }
            for (int at = 4; at < SUPERBLOCK_BYTES; at += 4)
            {
                boundaries.add(at);
            }
            for (final int at : boundaries)
            {
                for (final boolean newFirst : new boolean[]{true, false})
                {
                    final byte[] image = after.clone();
                    final byte[] first = newFirst ? after : before;
                    final byte[] second = newFirst ? before : after;
                    System.arraycopy(first, slot * PAGE, image, slot * PAGE, at);
                    System.arraycopy(second, slot * PAGE + at, image, slot * PAGE + at, PAGE - at);
                    final boolean whole = Arrays.equals(image, slot * PAGE, slot * PAGE + SUPERBLOCK_BYTES,
                        after, slot * PAGE, slot * PAGE + SUPERBLOCK_BYTES);
                    Files.write(file, image);
                    final String context = "superblock of checkpoint " + sequence + " torn at " + at +
                        (newFirst ? " (new bytes first)" : " (old bytes first)");
                    try (PageStore store = PageStore.open(file))
                    {
                        StoreOracle.assertHolds(store, snapshots.get(whole ? sequence : sequence - 1), null, context);
                    }
                    opens++;
                }
            }
        }
        System.out.println("torn superblocks: opens=" + opens);
    }

    @Test
    void shouldGiveAValidCheckpointOrATypedErrorForEverySingleBitFlipOfBothSuperblocks() throws IOException
    {
        flipSuperblockBits(0, 2 * PAGE * 8);
    }

    private void flipSuperblockBits(final int fromBit, final int toBit) throws IOException
    {
        Files.write(file, images.get(3));
        final Map<String, Integer> outcomes = new TreeMap<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            for (int bit = fromBit; bit < toBit; bit++)
            {
                final int offset = bit / 8;
                final byte original = images.get(3)[offset];
                channel.write(one.clear().put(0, (byte)(original ^ (1 << (bit % 8)))), offset);
                final String outcome = openAfterFlip(offset, bit);
                outcomes.merge(outcome, 1, Integer::sum);
                channel.write(one.clear().put(0, original), offset);
            }
        }
        System.out.println("superblock bit flips " + fromBit + ".." + toBit + ": " + outcomes);
    }

    private String openAfterFlip(final int offset, final int bit) throws IOException
    {
        final int slot = offset / PAGE;
        final int inPage = offset % PAGE;
        final String context = "bit " + bit % 8 + " of superblock slot " + slot + " byte " + inPage;
        try (PageStore store = PageStore.open(file))
        {
            // The next flip starts from this image again: no clean close's mark.
            store.coordinator().forgoCleanClose();
            final long sequence = store.lastCheckpoint();
            // Checkpoint 3 is in slot 1; only a flip there may fall back, to checkpoint 2, and only in its encoded
            // part.
            if (3 != sequence && !(2 == sequence && 1 == slot && inPage < SUPERBLOCK_BYTES))
            {
                fail(context + ": opened at checkpoint " + sequence);
            }
            StoreOracle.assertContents(store, snapshots.get((int)sequence), null, context);
            // Every flip is reported: in the superblock the store runs on as a metadata problem, in the other one (or
            // the one the store fell back from) as lost redundancy.
            final VerifyReport report = store.verify();
            final List<String> expectedKind = 3 == sequence && 1 == slot ? report.metadataProblems()
                : report.redundancyProblems();
            assertEquals(1, expectedKind.size(), context + ": " + report);
            assertTrue(expectedKind.getFirst().startsWith("superblock slot " + slot), context + ": " + report);
            assertEquals(List.of(), report.corruptPages(), context);
            assertEquals(1, report.metadataProblems().size() + report.redundancyProblems().size(), context + ": " +
                report);
            assertEquals(inPage < SUPERBLOCK_BYTES, store.superblockFallback().isPresent(), context);
            return "opened at " + sequence;
        }
        catch (final IncompatibleStoreException ex)
        {
            assertTrue(inPage < SUPERBLOCK_BYTES, context + ": refused for a byte no check covers: " + ex);
            return "refused " + ex.problem();
        }
    }

    /**
     * Every single-bit flip of both superblocks and both metadata copies, made under an open store, is reported by
     * {@link PageStore#verify()}: in the superblock and copy the store runs on as a metadata problem, in the spare
     * ones as a redundancy problem (196,608 flips, each followed by one verify of the whole store).
     */
    @Test
    void shouldReportEveryBitFlipOfBothSuperblocksAndBothMetadataCopiesInVerify() throws IOException
    {
        Files.write(file, images.get(3));
        final byte[] clean = images.get(3);
        final long[] pages = {0, 1, layout.metadataOffset(0, 0) / PAGE, layout.metadataOffset(0, 1) / PAGE,
            layout.metadataOffset(1, 0) / PAGE, layout.metadataOffset(1, 1) / PAGE};
        int flips = 0;
        try (PageStore store = PageStore.open(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            assertTrue(store.verify().isClean(), store.verify().toString());
            final ByteBuffer one = ByteBuffer.allocate(1);
            for (final long filePage : pages)
            {
                // Checkpoint 3 runs on superblock slot 1 and metadata copy 1; slot 0 and copy 0 are the spare.
                final boolean current = 1 == filePage || filePage == layout.metadataOffset(1, 0) / PAGE ||
                    filePage == layout.metadataOffset(1, 1) / PAGE;
                for (int offset = 0; offset < PAGE; offset++)
                {
                    final long at = filePage * PAGE + offset;
                    final byte original = clean[(int)at];
                    for (int bit = 0; bit < 8; bit++)
                    {
                        channel.write(one.clear().put(0, (byte)(original ^ (1 << bit))), at);
                        final VerifyReport report = store.verify();
                        final List<String> expected = current ? report.metadataProblems()
                            : report.redundancyProblems();
                        if (1 != expected.size() ||
                            1 != report.metadataProblems().size() + report.redundancyProblems().size())
                        {
                            fail("bit " + bit + " of byte " + offset + " of file page " + filePage + ": " + report);
                        }
                        flips++;
                    }
                    channel.write(one.clear().put(0, original), at);
                }
            }
            assertTrue(store.verify().isClean(), store.verify().toString());
        }
        assertEquals(6 * PAGE * 8, flips);
    }

    @Test
    void shouldRefuseCurrentCopyFlipsRepairOtherCopyFlipsAndReportUserPageFlips() throws IOException
    {
        randomFlips(300, 1);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldSurviveManyRandomFlips() throws IOException
    {
        randomFlips(20_000, 2);
    }

    private void randomFlips(final int perKind, final long seed) throws IOException
    {
        final Random random = new Random(seed);
        final Snapshot three = snapshots.get(3);
        final List<Long> live = new ArrayList<>(three.pages().keySet());
        for (int i = 0; i < perKind; i++)
        {
            final long tablePage = random.nextInt((int)layout.metadataPages());
            // checkpoint 3 names metadata copy 1
            final long current = layout.metadataOffset(1, tablePage) + random.nextInt(PAGE);
            final byte[] image = flip(random, current);
            try (PageStore store = PageStore.open(file))
            {
                StoreOracle.assertHolds(store, snapshots.get(2), null, "flip in the current copy at " + current);
            }
            assertArrayEquals(image, Files.readAllBytes(file), "an open that falls back leaves the file unmodified");

            final long other = layout.metadataOffset(0, tablePage) + random.nextInt(PAGE);
            flip(random, other);
            try (PageStore store = PageStore.open(file); PageWriter writer = store.newWriter())
            {
                StoreOracle.assertHolds(store, three, null, "flip in the other copy at " + other);
                final List<String> lost = store.verify().redundancyProblems();
                assertEquals(1, lost.size(), "flip in the other copy at " + other + ": " + lost);
                assertTrue(lost.getFirst().startsWith("spare metadata copy 0: metadata page " + tablePage + " "),
                    lost.getFirst());
                final long page = writer.allocate();
                store.checkpoint(List.of(writer.write(page, page(-1))));
                try (PageStore again = reopen(store))
                {
                    StoreOracle.assertHoldsAndClean(again, three.next(Map.of(page, -1L), List.of(), three.roots()),
                        null, "one checkpoint after a flip in the other copy at " + other);
                }
            }

            final long victim = live.get(random.nextInt(live.size()));
            final long inLive = layout.dataOffset(victim) + random.nextInt(PAGE);
            flip(random, inLive);
            if (!snapshots.get(2).pages().containsKey(victim))
            {
                // A page checkpoint 3 wrote: open verifies it, and falls back.
                try (PageStore store = PageStore.open(file))
                {
                    StoreOracle.assertHolds(store, snapshots.get(2), null, "flip in new page " + victim);
                }
                continue;
            }
            try (PageStore store = PageStore.open(file))
            {
                final CorruptPageException corrupt =
                    assertThrowsExactly(CorruptPageException.class, () -> PageStoreTest.read(store, victim));
                assertEquals(victim, corrupt.pageId());
                final VerifyReport report = store.verify();
                assertEquals(List.of(victim), report.corruptPages());
                assertEquals(List.of(), report.metadataProblems());
                assertEquals(List.of(), report.redundancyProblems());
            }

            long free;
            do
            {
                free = random.nextLong(PAGES);
            }
            while (three.pages().containsKey(free));
            flip(random, layout.dataOffset(free) + random.nextInt(PAGE));
            try (PageStore store = PageStore.open(file))
            {
                StoreOracle.assertHoldsAndClean(store, three, null, "flip in free page " + free);
            }
        }
    }

    private PageStore reopen(final PageStore store) throws IOException
    {
        store.close();
        return PageStore.open(file);
    }

    private byte[] flip(final Random random, final long offset) throws IOException
    {
        final byte[] image = images.get(3).clone();
        image[(int)offset] ^= (byte)(1 << random.nextInt(8));
        Files.write(file, image);
        return image;
    }
}
