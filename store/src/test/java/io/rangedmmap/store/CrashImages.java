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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Builds the disk images a power loss may leave and checks that each opens at the right checkpoint. From the durable
 * bytes and the current bytes of the file, each page dirtied since its last flush is, in the image, its old durable
 * bytes, its new bytes, a mix of the two torn at 512-byte sectors, or garbage. The image must open at the checkpoint
 * in flight if its superblock and everything it newly names (the metadata pages and user pages it wrote, made durable
 * by the same flush) reached the image, else at the last acknowledged one, exactly. One image in five of a crash
 * whose superblock was written keeps the new superblock and all but one of its pages: it must open at the last
 * acknowledged checkpoint.
 */
final class CrashImages
{
    private static final int PAGE = PageStore.PAGE_SIZE;
    private static final int SECTOR = 512;
    private static final int SUPERBLOCK_BYTES = SuperblockDescriptor.LENGTH;

    private final Path imageFile;
    private final Random random;
    private byte[] onDisk;
    private long images;
    private long continued;
    private long ackedPageCount = -1;
    private long inFlightPageCount = -1;

    CrashImages(final Path imageFile, final long seed)
    {
        this.imageFile = imageFile;
        this.random = new Random(seed);
    }

    long images()
    {
        return images;
    }

    long continued()
    {
        return continued;
    }

    /**
     * The checkpoint in flight was acknowledged: its page count is now the one every image must open at.
     */
    void acknowledged()
    {
        if (inFlightPageCount >= 0)
        {
            ackedPageCount = inFlightPageCount;
            inFlightPageCount = -1;
        }
    }

    long ackedPageCount()
    {
        return ackedPageCount;
    }

    /**
     * Checks from now on that each image opens at exactly the page count of the checkpoint it opens at.
     *
     * @param acked    the page count the last acknowledged checkpoint recorded.
     * @param inFlight the page count the checkpoint in flight records, or -1 if none is.
     */
    void expectPageCounts(final long acked, final long inFlight)
    {
        this.ackedPageCount = acked;
        this.inFlightPageCount = inFlight;
    }

    /**
     * Builds {@code count} images of one crash point and checks each.
     *
     * @param durable  the bytes made durable so far.
     * @param current  the bytes of the mapping now.
     * @param acked    the last checkpoint that returned to its caller.
     * @param inFlight the checkpoint running now, or {@code null}.
     * @param count    how many images.
     * @param where    the crash point, for messages.
     */
    void check(final byte[] durable, final byte[] current, final Snapshot acked, final Snapshot inFlight,
        final int count, final String where) throws IOException
    {
        final int pages = durable.length / PAGE;
        final List<Integer> dirty = new ArrayList<>();
        for (int p = 0; p < pages; p++)
        {
            if (!Arrays.equals(durable, p * PAGE, (p + 1) * PAGE, current, p * PAGE, (p + 1) * PAGE))
            {
                dirty.add(p);
            }
        }
        final int slot = null == inFlight ? -1 : (int)(inFlight.sequence() & 1);
        // Its slot may instead hold the last checkpoint's superblock again: a run opened from a clean close clears the
        // mark there, flushed, before its first checkpoint writes anything (the crash point of that flush).
        final boolean superblockWritten = null != inFlight && dirty.contains(slot) &&
            inFlight.sequence() == ByteBuffer.wrap(current).order(ByteOrder.LITTLE_ENDIAN)
            .getLong(slot * PAGE + SuperblockDescriptor.SEQUENCE_OFFSET);
        final List<Integer> named = null == inFlight ? List.of() : newlyNamed(dirty, pages, slot, acked, inFlight);
        for (int i = 0; i < count; i++)
        {
            final Map<Integer, String> choices = new HashMap<>();
            final byte[] image = durable.clone();
            // The new superblock without one of the pages it names: the one flush was cut short.
            final boolean cutShort = superblockWritten && !named.isEmpty() && 2 == i % 5;
            final int missing = cutShort ? named.get(random.nextInt(named.size())) : -1;
            for (final int p : dirty)
            {
                final int mode = cutShort ? (p == missing ? 0 : 1) : 0 == i ? 0 : 1 == i ? 1 : random.nextInt(4);
                choices.put(p, switch (mode)
                {
                    case 0 -> "old";
                    case 1 ->
                    {
                        System.arraycopy(current, p * PAGE, image, p * PAGE, PAGE);
                        yield "new";
                    }
                    case 2 ->
                    {
                        final StringBuilder sectors = new StringBuilder("torn:");
                        for (int s = 0; s < PAGE / SECTOR; s++)
                        {
                            final boolean takeNew = random.nextBoolean();
                            if (takeNew)
                            {
                                System.arraycopy(current, p * PAGE + s * SECTOR, image, p * PAGE + s * SECTOR, SECTOR);
                            }
                            sectors.append(takeNew ? 'N' : 'o');
                        }
                        yield sectors.toString();
                    }
                    default ->
                    {
                        final byte[] garbage = new byte[PAGE];
                        if (random.nextInt(4) != 0)
                        {
                            random.nextBytes(garbage);
                        }
                        System.arraycopy(garbage, 0, image, p * PAGE, PAGE);
                        yield "garbage";
                    }
                });
            }
            boolean expectInFlight = superblockWritten && Arrays.equals(image, slot * PAGE,
                slot * PAGE + SUPERBLOCK_BYTES, current, slot * PAGE, slot * PAGE + SUPERBLOCK_BYTES);
            for (final int p : named)
            {
                expectInFlight &= Arrays.equals(image, p * PAGE, (p + 1) * PAGE, current, p * PAGE, (p + 1) * PAGE);
            }
            if (cutShort)
            {
                assertFalse(expectInFlight, "an image missing page " + missing + " of the checkpoint in flight");
            }
            final Snapshot expected = expectInFlight ? inFlight : acked;
            final String context = "crash " + where + ", image " + i + ", acked=" + acked + ", inFlight=" + inFlight +
                ", dirty file pages " + new java.util.TreeMap<>(choices);
            write(image);
            images++;
            try
            {
                Snapshot next = null;
                try (PageStore store = PageStore.open(imageFile))
                {
                    if (ackedPageCount >= 0)
                    {
                        org.junit.jupiter.api.Assertions.assertEquals(expectInFlight ? inFlightPageCount :
                            ackedPageCount, store.pageCount(), context + ": the size the checkpoint recorded");
                    }
                    StoreOracle.assertHolds(store, expected, random, context);
                    if (0 == i % 8)
                    {
                        next = continueAfterRecovery(store, expected);
                    }
                }
                // Its close (a clean one) rewrote metadata and a superblock: the next image must not inherit them.
                refreshMetadata();
                if (null != next)
                {
                    // The checkpoint after a recovery rewrites the metadata copy the crash may have left half-written.
                    try (PageStore store = PageStore.open(imageFile))
                    {
                        StoreOracle.assertHoldsAndClean(store, next, random, context + ", after one more checkpoint");
                    }
                    onDisk = Files.readAllBytes(imageFile);
                    continued++;
                }
            }
            catch (final AssertionError | RuntimeException ex)
            {
                final Path kept = imageFile.resolveSibling("failed-image-" + images + ".store");
                Files.write(kept, image);
                throw new AssertionError(context + " (image kept at " + kept + ")", ex);
            }
        }
    }

    /**
     * {@return the file pages the checkpoint in flight wrote and its superblock names, among the dirty ones: the
     * metadata pages of its copy and its new user pages}
     */
    private static List<Integer> newlyNamed(final List<Integer> dirty, final int filePages, final int copy,
        final Snapshot acked, final Snapshot inFlight)
    {
        // File pages = 2 superblocks, then groups of 512: the group's page of copy 0, of copy 1, and 510 user pages.
        final List<Integer> named = new ArrayList<>();
        for (final int p : dirty)
        {
            if (p < StoreLayout.SUPERBLOCK_SLOTS)
            {
                continue;
            }
            final int inGroup = (p - StoreLayout.SUPERBLOCK_SLOTS) % StoreLayout.GROUP_FILE_PAGES;
            final long group = (p - StoreLayout.SUPERBLOCK_SLOTS) / StoreLayout.GROUP_FILE_PAGES;
            if (inGroup == copy)
            {
                named.add(p);
            }
            else if (inGroup >= 2)
            {
                final long pageId = group * StoreLayout.GROUP_USER_PAGES + inGroup - 2;
                final Long seed = inFlight.pages().get(pageId);
                if (null != seed && !seed.equals(acked.pages().get(pageId)))
                {
                    named.add(p);
                }
            }
        }
        return named;
    }

    private Snapshot continueAfterRecovery(final PageStore store, final Snapshot expected)
    {
        final Map<Long, Long> added = new HashMap<>();
        final List<PageReceipt> receipts = new ArrayList<>();
        try (PageWriter writer = store.newWriter())
        {
            for (int k = 0; k < 2 && store.stats().freePages() > 0; k++)
            {
                final long pageId = writer.allocate();
                final long seed = random.nextLong();
                receipts.add(writer.write(pageId, page(seed)));
                added.put(pageId, seed);
            }
        }
        final List<Long> freed = new ArrayList<>();
        if (!expected.pages().isEmpty())
        {
            final long victim = expected.pages().keySet().stream().sorted().findFirst().orElseThrow();
            store.free(victim);
            freed.add(victim);
        }
        final long[] roots = expected.roots().clone();
        roots[0] += 1;
        store.setRoot(0, roots[0]);
        store.checkpoint(receipts);
        return expected.next(added, freed, roots);
    }

    /**
     * Reads back into {@link #onDisk} the pages a store's close may write: the superblocks and both metadata copies.
     */
    private void refreshMetadata() throws IOException
    {
        if (null == onDisk)
        {
            return;
        }
        try (FileChannel channel = FileChannel.open(imageFile, StandardOpenOption.READ))
        {
            if (channel.size() != onDisk.length)
            {
                onDisk = null;
                return;
            }
            for (int p = 0; p < onDisk.length / PAGE; p++)
            {
                if (p < StoreLayout.SUPERBLOCK_SLOTS || (p - StoreLayout.SUPERBLOCK_SLOTS) %
                    StoreLayout.GROUP_FILE_PAGES < 2)
                {
                    final ByteBuffer page = ByteBuffer.wrap(onDisk, p * PAGE, PAGE);
                    while (page.hasRemaining())
                    {
                        channel.read(page, (long)p * PAGE + page.position() - p * PAGE);
                    }
                }
            }
        }
    }

    private void write(final byte[] image) throws IOException
    {
        if (null == onDisk || onDisk.length != image.length)
        {
            Files.write(imageFile, image);
            onDisk = image.clone();
            return;
        }
        try (FileChannel channel = FileChannel.open(imageFile, StandardOpenOption.WRITE))
        {
            for (int p = 0; p < image.length / PAGE; p++)
            {
                if (!Arrays.equals(image, p * PAGE, (p + 1) * PAGE, onDisk, p * PAGE, (p + 1) * PAGE))
                {
                    channel.write(ByteBuffer.wrap(image, p * PAGE, PAGE), (long)p * PAGE);
                    System.arraycopy(image, p * PAGE, onDisk, p * PAGE, PAGE);
                }
            }
        }
    }
}
