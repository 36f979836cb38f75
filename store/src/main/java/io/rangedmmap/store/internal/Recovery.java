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
import io.rangedmmap.mmap.internal.RawFileAccess;
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.SuperblockFallback;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import io.rangedmmap.store.internal.jfr.SuperblockFallbackEvent;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a store file at open, read-only, and rebuilds the in-memory state of its last durable checkpoint: picks
 * the newest valid superblock, checks the geometry against the file, checks every page of the current metadata copy
 * and loads it into a {@link PageTable}, checks what that checkpoint newly wrote against what its superblock names
 * (falling back to the previous checkpoint if it did not all reach the disk), and finds the table pages where the
 * other copy differs (those the next checkpoint must rewrite). The only user pages it reads are those of a
 * checkpoint made durable by one flush, at most {@link Checkpointer#ONE_FLUSH_MAX_PAGES}: {@code verify} checks
 * the others. After a clean close (see {@link SuperblockDescriptor#FLAG_CLEAN}) the copies are equal and were
 * flushed before the mark: it reads the current copy only, checks every page of it as ever, and finds nothing
 * stale; or, when the store asks for it ({@link #recover(RawMmapFile, Path, long, boolean)}), reads no group at all
 * and leaves each to be loaded and checked at its first touch ({@link LazyGroups}). After a crash, when asked, it
 * reads only the groups the newest checkpoint wrote, which its superblock lists, to verify that checkpoint, and
 * leaves the rest, and the comparison of the copies, to the groups' first touch and the first checkpoint
 * ({@link StaleGroups}).
 *
 * @param superblock      the superblock of the last durable checkpoint.
 * @param layout          the file's layout.
 * @param table           every page LIVE with its CRC, or FREE.
 * @param staleTablePages the table pages in which the other copy differs from the current one, ascending; {@code null}
 *                        after a lazy open after a crash, which did not compare the copies.
 * @param free            the free runs, ascending.
 * @param fallback        why the newest superblock was not used (rejected, or naming a checkpoint that did not all
 *                        reach the disk), or {@code null} if the store opened at its newest valid superblock with the
 *                        other slot valid too.
 * @param lazy            whether the groups below the high-water mark were left unloaded, for the store to load at
 *                        their first touch ({@link LazyGroups}): only after a clean close, when asked for. Otherwise
 *                        the table holds, for each group below the mark, the sequence carried by its metadata page in
 *                        the current copy (see {@link PageTable#groupSequence(long)}).
 * @param clean           whether the store was closed cleanly (see {@link SuperblockDescriptor#FLAG_CLEAN}): the
 *                        spare superblock slot holds the same checkpoint with that flag, the two metadata copies are
 *                        equal, and a writable open must clear the flag before it writes any metadata.
 * @param freeMap         for a lazy open, the clean close's map of the groups that may hold a free page (see
 *                        {@link SuperblockDescriptor#FREE_MAP_OFFSET}); {@code null} otherwise.
 */
public record Recovery(
    Superblock superblock, StoreLayout layout, PageTable table, long[] staleTablePages, Runs free,
    SuperblockFallback fallback, boolean lazy, boolean clean, byte[] freeMap)
{
    /**
     * Recovers the last durable checkpoint of a store file; writes nothing.
     *
     * <p>The newest valid superblock is accepted only if everything it newly names verifies: its metadata copy, the
     * count and digest of the metadata pages carrying its sequence, the number of user pages it made live and, for a
     * checkpoint made durable by one flush, the CRC32C of each of those pages. Otherwise (a power loss kept the
     * superblock of the checkpoint in flight but not all it names) the store opens at the previous checkpoint, which
     * the newer one never overwrote, if that one verifies.
     *
     * @param file the mapped store file, locked.
     * @param path the store, for messages.
     * @return the recovered state.
     * @throws IncompatibleStoreException if the file is not a store, is of another format, has another page size,
     *                                    a size its superblock does not imply, or damaged metadata.
     */
    public static Recovery recover(final RawMmapFile file, final Path path)
    {
        return recover(file, path, 0, false);
    }

    /**
     * Recovers the last durable checkpoint of a store file, with a page table that can grow to the store's maxPages
     * ({@code maxPages} if not 0, else the one the superblock records); writes nothing. See
     * {@link #recover(RawMmapFile, Path)}.
     *
     * <p>With {@code lazy}, a store closed cleanly is opened by its superblocks alone: the metadata groups are left
     * unloaded ({@link #lazy()}), and their checks (each page's CRC32C, table index and sequence, its entries) are
     * made by whoever loads each group at its first touch; the count of live pages is the superblock's. After a
     * crash, the newest checkpoint is verified by the groups its superblock lists (and its new user pages), and the
     * groups are left unloaded all the same; the copies are compared, and the live count checked, by
     * {@link StaleGroups} before the first checkpoint. A one-flush checkpoint without that list (none is written
     * since) is opened the full way.
     *
     * @param file     the mapped store file, locked.
     * @param path     the store, for messages.
     * @param maxPages the maxPages an open option sets, at least the recovered page count; 0 if none.
     * @param lazy     whether a clean store's groups may be left unloaded.
     * @return the recovered state.
     * @throws IncompatibleStoreException as {@link #recover(RawMmapFile, Path)}.
     * @throws IllegalArgumentException   if {@code maxPages} is not 0 and below the recovered page count.
     */
    public static Recovery recover(final RawMmapFile file, final Path path, final long maxPages, final boolean lazy)
    {
        final String[] rejected = new String[StoreLayout.SUPERBLOCK_SLOTS];
        final long[] claimed = new long[StoreLayout.SUPERBLOCK_SLOTS];
        final int[] slots = new int[StoreLayout.SUPERBLOCK_SLOTS];
        final Superblock[] candidates = validSuperblocks(file, path, rejected, claimed, slots);
        final Superblock newest = candidates[0];
        final int newestSlot = slots[0];
        final SuperblockFallback rejectedSlot = null == rejected[1 - newestSlot] ? null :
            new SuperblockFallback(newestSlot, newest.sequence(), 1 - newestSlot, claimed[1 - newestSlot],
                rejected[1 - newestSlot]);
        SuperblockDescriptor.checkGeometry(newest, file.size(), path);
        final boolean clean = isClean(candidates, slots);
        try
        {
            if (lazy && !clean && canOpenLazily(newest))
            {
                checkDirectory(file, path, new StoreLayout(newest.pageCount()), newest, newestSlot);
                return recoverAt(file, path, newest, true, rejectedSlot, maxPages, false, true, null);
            }
            return recoverAt(file, path, newest, true, rejectedSlot, maxPages, clean, lazy && clean,
                lazy && clean ? freeMapOf(file, candidates, slots) : null);
        }
        catch (final IncompatibleStoreException ex)
        {
            final Superblock previous = 2 == candidates.length ? candidates[1] : null;
            // Only a checkpoint made durable by one flush can have its superblock on disk without all it names; a
            // failure in any other is damage, refused as such.
            if (IncompatibleStoreException.Problem.CORRUPT_METADATA != ex.problem() || null == previous ||
                previous.sequence() != newest.sequence() - 1 ||
                0 == (newest.flags() & SuperblockDescriptor.FLAG_ONE_FLUSH))
            {
                throw ex;
            }
            try
            {
                SuperblockDescriptor.checkGeometry(previous, file.size(), path);
                // Acknowledged before the newer checkpoint began: its flush completed, its pages need no reading.
                final SuperblockFallback fallback = new SuperblockFallback(slots[1], previous.sequence(),
                    newestSlot, newest.sequence(), "the checkpoint it names did not all reach the disk: " +
                    ex.getMessage());
                // Acknowledged, so nothing to verify: lazily too, if asked (the newer one wrote only the other copy).
                final Recovery recovery = recoverAt(file, path, previous, false, fallback, maxPages, false,
                    lazy, null);
                SuperblockFallbackEvent.emit(path.toString(), newestSlot, ex.getMessage(), previous.sequence());
                return recovery;
            }
            catch (final IncompatibleStoreException second)
            {
                ex.addSuppressed(second);
                throw ex;
            }
        }
    }

    /**
     * {@return whether the store can open at this superblock after a crash without reading every group}: if it was
     * made durable by one flush, its superblock lists the groups it wrote (see
     * {@link SuperblockDescriptor#FLAG_DIRECTORY}), which are all open must read to verify it; a checkpoint made
     * durable by two flushes had everything it names durable before its superblock was written.
     */
    private static boolean canOpenLazily(final Superblock superblock)
    {
        return 0 == (superblock.flags() & SuperblockDescriptor.FLAG_ONE_FLUSH) ||
            0 != (superblock.flags() & SuperblockDescriptor.FLAG_DIRECTORY);
    }

    /**
     * Verifies what a one-flush checkpoint newly wrote by the groups its superblock lists, as the full open verifies
     * it by all: each listed group's page in the current copy (its checks, and the checkpoint's sequence), their
     * count and digest, and the user pages newly live in them (count, and each page's CRC32C). Reads two metadata
     * pages a listed group (at most {@link SuperblockDescriptor#DIRECTORY_CAPACITY}) and the new user pages (at most
     * {@link Checkpointer#ONE_FLUSH_MAX_PAGES}), whatever the store's size. A crash during the next checkpoint, which
     * rewrites there the groups this one changed, leaves their previous versions unknown; but a whole page of that
     * next checkpoint in the other copy proves this one was acknowledged (the next begins only once this one's flush
     * returned), and nothing more is verified. Only where the previous version is unknown without such a page
     * (damage, or a clean close's copy of this checkpoint's page) does every live page of the group count as possibly
     * new and is read, as the full open reads it: up to {@link StoreLayout#GROUP_USER_PAGES} a group.
     *
     * @throws IncompatibleStoreException ({@code CORRUPT_METADATA}) if something it names did not reach the disk.
     */
    private static void checkDirectory(final RawMmapFile file, final Path path, final StoreLayout layout,
        final Superblock superblock, final int slot)
    {
        if (0 == (superblock.flags() & SuperblockDescriptor.FLAG_ONE_FLUSH) || 0 == superblock.sequence())
        {
            return;
        }
        final byte[] encoded = new byte[StoreLayout.PAGE_SIZE];
        // Read again after validSuperblocks checked its CRC32C: the file is locked, nothing wrote it in between.
        read(file, StoreLayout.superblockOffset(slot), encoded);
        final long[] groups = SuperblockDescriptor.directory(new UnsafeBuffer(encoded), superblock);
        final NewPages newPages = new NewPages(file, layout, path, superblock, true);
        final GroupPages pages = new GroupPages();
        long before = -1;
        for (final long group : groups)
        {
            if (group <= before || group >= superblock.highWater())
            {
                throw newPages.corrupt("its directory lists group=" + group + " after group=" + before +
                    " or at or above its high-water mark " + superblock.highWater());
            }
            before = group;
            pages.readBoth(file, layout, group, superblock.currentCopy());
            if (superblock.sequence() + 1 == MetadataPageDescriptor.pageSequence(pages.other) &&
                pages.otherValid(group, superblock.sequence() + 1))
            {
                // A whole page of the next checkpoint: it began, which it does only once this one's flush returned,
                // so this one is durable and acknowledged. (Its pages overwrote the previous versions of the groups
                // this one changed, without which every live page of such a group would count as new and be read.)
                return;
            }
            MetadataPageDescriptor.checkPage(pages.current, group, superblock.sequence(), path);
            if (superblock.sequence() != MetadataPageDescriptor.pageSequence(pages.current))
            {
                throw newPages.corrupt("group=" + group + ", which its directory lists, carries sequence=" +
                    MetadataPageDescriptor.pageSequence(pages.current));
            }
            newPages.written(pages.current, group, pages.previous(group, superblock));
        }
        newPages.check(true);
    }

    /**
     * {@return whether the newest checkpoint was closed cleanly}: its clean close's mark (see
     * {@link SuperblockDescriptor#FLAG_CLEAN}) is in the spare slot, the one its sequence does not name, and either
     * the slot it names holds the same checkpoint or holds no valid superblock (the mark was written only once the
     * copies were equal and durable, whatever later damaged that slot). A mark beside a superblock of the same
     * sequence that differs (a backup raised its maxPages) is ignored: the store opens as after a crash, which is
     * never wrong, only slower.
     */
    private static boolean isClean(final Superblock[] candidates, final int[] slots)
    {
        final int mark = markIndex(candidates);
        final Superblock marked = candidates[mark];
        return 0 != (marked.flags() & SuperblockDescriptor.FLAG_CLEAN) && slots[mark] != (marked.sequence() & 1) &&
            (0 == mark || candidates[0].sameCheckpointAs(marked));
    }

    /**
     * {@return the clean close's free map, from the superblock that carries its mark}
     */
    private static byte[] freeMapOf(final RawMmapFile file, final Superblock[] candidates, final int[] slots)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        read(file, StoreLayout.superblockOffset(slots[markIndex(candidates)]), page);
        // Read again after validSuperblocks checked its CRC32C: the file is locked, nothing wrote it in between.
        return SuperblockDescriptor.freeMap(new UnsafeBuffer(page));
    }

    /**
     * {@return which of the candidates would carry a clean close's mark}: the spare slot's superblock of the newest
     * sequence (1), or the newest alone (0).
     */
    private static int markIndex(final Superblock[] candidates)
    {
        return 2 == candidates.length && candidates[1].sequence() == candidates[0].sequence() ? 1 : 0;
    }

    private static Recovery recoverAt(final RawMmapFile file, final Path path, final Superblock superblock,
        final boolean newest, final SuperblockFallback fallback, final long maxPages, final boolean clean,
        final boolean lazy, final byte[] freeMap)
    {
        final StoreLayout layout = new StoreLayout(superblock.pageCount());
        if (0 != maxPages && maxPages < layout.pageCount())
        {
            throw new IllegalArgumentException("maxPages=" + maxPages + " is below pageCount=" + layout.pageCount() +
                " of " + path + "; a store never shrinks");
        }
        final long capacity = Math.min(0 != maxPages ? maxPages : superblock.maxPages(),
            file.isReadOnly() ? layout.pageCount() : StoreLayout.pagesFitting(file.reserve()));
        // Reserved, not committed (see PageTable): a superblock with a valid CRC32C but a crafted page count costs
        // address space only; the loop below refuses its first metadata page that fails its check, having touched
        // the table only for the valid groups before it.
        final PageTable table = newTable(path, layout, Math.max(capacity, layout.pageCount()));
        if (lazy)
        {
            // Nothing below the high-water mark is read here: the store loads each group at its first touch, and
            // hands its free pages to the pool then. Above the mark every page is free, known without reading.
            final Runs free = new Runs();
            final long above = Math.min(table.size(), superblock.highWater() * MetadataPageDescriptor.ENTRIES_PER_PAGE);
            if (above < table.size())
            {
                free.add(above, table.size());
            }
            // After a crash the copies were not compared: the first checkpoint has it done (StaleGroups). Below a
            // high-water mark of 0 (a new store's) there is nothing to compare.
            return new Recovery(superblock, layout, table, clean || 0 == superblock.highWater() ? new long[0] : null,
                free, fallback, true, clean, freeMap);
        }
        table.adviseFill(superblock.highWater() * MetadataPageDescriptor.ENTRIES_PER_PAGE);
        final GroupPages pages = new GroupPages();
        final NewPages newPages = new NewPages(file, layout, path, superblock,
            newest && !clean && 0 != (superblock.flags() & SuperblockDescriptor.FLAG_ONE_FLUSH));
        final int copy = superblock.currentCopy();
        long[] stale = new long[16];
        int staleCount = 0;
        long live = 0;
        // Only the groups below the high-water mark can hold a live entry: open reads nothing above it, so its work
        // grows with the part of the store ever used, not with the store's size.
        final long groups = superblock.highWater();
        for (long tablePage = 0; tablePage < groups; tablePage++)
        {
            if (clean)
            {
                // The clean close made the copies equal and flushed them before its superblock: nothing is stale,
                // and the other copy need not be read.
                pages.readCurrent(file, layout, tablePage, copy);
            }
            else
            {
                pages.readBoth(file, layout, tablePage, copy);
            }
            MetadataPageDescriptor.checkPage(pages.current, tablePage, superblock.sequence(), path);
            table.setGroupSequence(tablePage, MetadataPageDescriptor.pageSequence(pages.current));
            live += load(pages.current, tablePage, table, table.size(), path);
            if (pages.otherDiffers(tablePage, superblock.sequence()))
            {
                if (staleCount == stale.length)
                {
                    stale = Arrays.copyOf(stale, staleCount * 2);
                }
                stale[staleCount++] = tablePage;
            }
            if (superblock.sequence() == MetadataPageDescriptor.pageSequence(pages.current))
            {
                newPages.written(pages.current, tablePage, pages.previous(tablePage, superblock));
            }
        }
        if (live != superblock.livePages())
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": the metadata table has " + live + " live pages but the superblock says livePages=" +
                superblock.livePages());
        }
        // After a clean close the previous checkpoint's copy is gone (equalised): the count of new user pages cannot be
        // recomputed, and need not be (the close flushed everything before its superblock).
        newPages.check(newest && !clean);
        final Runs free = new Runs();
        final long scanned = Math.min(table.size(), groups * MetadataPageDescriptor.ENTRIES_PER_PAGE);
        addFreeRuns(table, 0, scanned, free);
        if (scanned < table.size())
        {
            free.add(scanned, table.size());
        }
        return new Recovery(superblock, layout, table, Arrays.copyOf(stale, staleCount), free, fallback, false, clean,
            null);
    }

    /**
     * Adds the runs of FREE pages in {@code [start, end)} of a table being loaded (read without its gate: the groups
     * are the caller's to fill) to {@code into}.
     */
    static void addFreeRuns(final PageTable table, final long start, final long end, final Runs into)
    {
        long page = start;
        while (page < end)
        {
            if (PageTable.FREE != table.loadedState(page))
            {
                page++;
                continue;
            }
            // One add per run of free pages, not per page: a run's bookkeeping is the costly part of an open.
            final long runStart = page;
            while (page < end && PageTable.FREE == table.loadedState(page))
            {
                page++;
            }
            into.add(runStart, page);
        }
    }

    /**
     * Reads metadata with one {@code pread}: the two pages of a group, which sit side by side, or after a clean close
     * the current one. Through the file's descriptor, not its mapping, because on a virtual machine the first touch
     * of each 4 KiB mapping entry costs far more than the read (measured on this project's VM, 1,961 groups: 172-349
     * ms through the mapping, 11-31 ms with {@code pread}), and open reads each of these pages once.
     */
    static void read(final RawMmapFile file, final long offset, final byte[] into)
    {
        try
        {
            RawFileAccess.readThrough(file, offset, into);
        }
        catch (final IOException ex)
        {
            // Only a faster way to the same bytes: if the descriptor refuses (a read-only file whose descriptor the
            // mapping layer could not find, say), read through the mapping, whose faults are reported as ever.
            file.readAt(offset, into, 0, into.length);
        }
    }

    /**
     * Reserves the page table, off the heap (see {@link PageTable}): 8.5 bytes a page of {@code capacity}, backed
     * only where touched (half a byte a page once touched, 8 more only while a page of its region is in flight).
     */
    private static PageTable newTable(final Path path, final StoreLayout layout, final long capacity)
    {
        try
        {
            return new PageTable(layout.pageCount(), capacity);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException("opening " + path + " (pageCount=" + layout.pageCount() + ", capacity=" +
                capacity + "): " + ex.getMessage(), ex);
        }
    }

    /**
     * What a checkpoint newly wrote, found on disk and checked against what its superblock names: the metadata pages
     * carrying its sequence (count and digest) and the user pages live in its copy but not in the other, which holds
     * the previous checkpoint (count and, after a one-flush checkpoint, each page's CRC32C).
     */
    private static final class NewPages
    {
        private final RawMmapFile file;
        private final StoreLayout layout;
        private final Path path;
        private final Superblock superblock;
        private final boolean readPages;
        private final CRC32C digest = new CRC32C();
        private final CRC32C pageCrc = new CRC32C();
        private final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        private int metadataPages;
        private long userPages;
        private boolean previousUnknown;

        private NewPages(final RawMmapFile file, final StoreLayout layout, final Path path,
            final Superblock superblock, final boolean readPages)
        {
            this.file = file;
            this.layout = layout;
            this.path = path;
            this.superblock = superblock;
            this.readPages = readPages;
        }

        private void written(final UnsafeBuffer current, final long tablePage, final UnsafeBuffer previous)
        {
            metadataPages++;
            MetadataPageDescriptor.addToDigest(digest, tablePage, MetadataPageDescriptor.pageCrc(current));
            // Without the previous checkpoint's page every live entry counts (and is read) as possibly new.
            previousUnknown |= null == previous;
            final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
            final long end = Math.min(layout.pageCount(), first + MetadataPageDescriptor.ENTRIES_PER_PAGE);
            for (long pageId = first; pageId < end; pageId++)
            {
                if (MetadataPageDescriptor.FLAG_LIVE == MetadataPageDescriptor.entryFlags(current, pageId) &&
                    (null == previous ||
                    MetadataPageDescriptor.FLAG_LIVE != MetadataPageDescriptor.entryFlags(previous, pageId)))
                {
                    userPages++;
                    if (readPages)
                    {
                        checkPage(pageId, MetadataPageDescriptor.entryCrc(current, pageId));
                    }
                }
            }
        }

        private void checkPage(final long pageId, final int expected)
        {
            file.readAt(layout.dataOffset(pageId), page);
            final int actual = Crc.of(pageCrc, page);
            if (expected != actual)
            {
                throw corrupt("page=" + pageId + " has crc32c=0x" + Integer.toHexString(actual) + " but its " +
                    "metadata entry says 0x" + Integer.toHexString(expected));
            }
        }

        private void check(final boolean newest)
        {
            if (0 == superblock.sequence())
            {
                // A new store's: create wrote and flushed the whole file before naming it.
                return;
            }
            if (metadataPages != superblock.metadataPagesWritten() ||
                (int)digest.getValue() != superblock.metadataDigest())
            {
                throw corrupt(metadataPages + " metadata pages carry its sequence, with digest 0x" +
                    Integer.toHexString((int)digest.getValue()) + ", but it names metadataPagesWritten=" +
                    superblock.metadataPagesWritten() + " with digest 0x" +
                    Integer.toHexString(superblock.metadataDigest()));
            }
            if (newest && (previousUnknown ? userPages < superblock.newPages() : userPages != superblock.newPages()))
            {
                throw corrupt(userPages + " user pages are newly live in its metadata, but it names newPages=" +
                    superblock.newPages());
            }
        }

        private IncompatibleStoreException corrupt(final String problem)
        {
            return new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": checkpoint " + superblock.sequence() + " did not reach the disk entirely: " + problem);
        }
    }

    /**
     * Loads a checked metadata page's live entries into the table, without its gate (the group is not published yet);
     * refuses an entry that is neither live nor zero, or live past the page count.
     *
     * @return the number of live entries.
     */
    static long load(final UnsafeBuffer page, final long tablePage, final PageTable table, final long size,
        final Path path)
    {
        long live = 0;
        final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
        // Entries in order, by offset: MetadataPageDescriptor's per-page-id accessors divide by the entries per page
        // for every entry, which cost more than the rest of a million-entry load.
        int offset = MetadataPageDescriptor.HEADER_LENGTH;
        for (long pageId = first; pageId < first + MetadataPageDescriptor.ENTRIES_PER_PAGE; pageId++)
        {
            final int crc = page.getInt(offset + MetadataPageDescriptor.ENTRY_CRC_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int flags = page.getInt(offset + MetadataPageDescriptor.ENTRY_FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN);
            offset += MetadataPageDescriptor.ENTRY_LENGTH;
            if (MetadataPageDescriptor.FLAG_LIVE == flags && pageId < size)
            {
                // Its CRC32C stays in the entry, read from the mapping when needed (LiveCrcs).
                table.loadLive(pageId);
                live++;
            }
            else if (0 != flags || 0 != crc)
            {
                throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                    path + ": metadata entry of page=" + pageId + " has flags=" + flags + ", crc32c=0x" +
                    Integer.toHexString(crc) + "; expected a live entry of a page below pageCount=" + size +
                    " or a zero entry");
            }
        }
        return live;
    }

    /**
     * {@return the superblocks that pass their checks, newest first}: on a tie, the one in the slot its sequence
     * names first (the other is a new store's twin or a clean close's copy). Their slots go into {@code slots}.
     */
    private static Superblock[] validSuperblocks(final RawMmapFile file, final Path path, final String[] reasons,
        final long[] claimed, final int[] slots)
    {
        final byte[] bytes = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        Superblock newest = null;
        Superblock older = null;
        IncompatibleStoreException firstProblem = null;
        int unrecognised = 0;
        int rejected = -1;
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            file.readAt(StoreLayout.superblockOffset(slot), bytes);
            claimed[slot] = buffer.getLong(SuperblockDescriptor.SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
            try
            {
                SuperblockDescriptor.checkIdentity(buffer, path);
            }
            catch (final IncompatibleStoreException ex)
            {
                if (IncompatibleStoreException.Problem.NEWER_FORMAT == ex.problem() ||
                    IncompatibleStoreException.Problem.OLDER_FORMAT == ex.problem())
                {
                    throw ex;
                }
                firstProblem = null == firstProblem ? ex : firstProblem;
                unrecognised++;
                rejected = slot;
                reasons[slot] = ex.getMessage();
                continue;
            }
            if (!SuperblockDescriptor.isCrcValid(buffer))
            {
                rejected = slot;
                reasons[slot] = "it fails its CRC32C check (torn by a crash while it was written, or damaged)";
                continue;
            }
            final Superblock superblock = SuperblockDescriptor.decode(buffer);
            if (null == newest || superblock.sequence() > newest.sequence() ||
                (superblock.sequence() == newest.sequence() && slot == (superblock.sequence() & 1)))
            {
                older = newest;
                slots[1] = slots[0];
                newest = superblock;
                slots[0] = slot;
            }
            else
            {
                older = superblock;
                slots[1] = slot;
            }
        }
        if (null == newest)
        {
            if (StoreLayout.SUPERBLOCK_SLOTS == unrecognised)
            {
                throw firstProblem;
            }
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": neither superblock is valid (both fail their CRC32C check)");
        }
        if (rejected >= 0)
        {
            SuperblockFallbackEvent.emit(path.toString(), rejected, "invalid superblock (identity or CRC32C)",
                newest.sequence());
        }
        return null == older ? new Superblock[]{newest} : new Superblock[]{newest, older};
    }
}
