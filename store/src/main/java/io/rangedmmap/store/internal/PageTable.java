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

import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.internal.NativeIo;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.agrona.UnsafeApi;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory state of every user page, and the CRC32C of the written ones.
 *
 * <p>A page's state word holds its {@link #FREE}, {@link #ALLOCATED}, {@link #WRITTEN}, {@link #LIVE} or
 * {@link #FREEING} state in its low bits and, above them, while allocated the id of the owning writer, and while
 * written the <em>write stamp</em> of the write that gave the page its bytes (the low bits of the checkpoint that
 * could first include it plus the discards made so far, see {@link #stampOf(long)}). A receipt carries the stamp of
 * its write, so a receipt of an earlier write of a page that was discarded and written again is told apart from the
 * page's current write; once the page is live its receipt is told apart by its CRC32C. Compare states with
 * {@link #stateOf(int)}, never the whole word. Transitions, one method each: FREE to ALLOCATED (a writer's
 * {@code allocate}, {@link #allocated}); ALLOCATED to WRITTEN (its {@code write}, {@link #written}) or back to FREE
 * (its {@code discard} or {@code close}, {@link #unallocated}); WRITTEN to FREE (its {@code discard},
 * {@link #discarded}, which the checkpoint coordinator orders against the checkpoints); WRITTEN to LIVE (a
 * checkpoint that includes the page, {@link #madeLive}); LIVE to FREEING ({@code free}, {@link #freeing}); FREEING to
 * FREE (the checkpoint that includes the free, once durable, {@link #freed}). Pages that are WRITTEN, LIVE or FREEING
 * can be read. Whoever makes a transition also counts it ({@code PageCounts}), so that the store's counts by state
 * never need a pass over this table.
 *
 * <p><b>Memory: half a byte a page, and 8 bytes more only for a page in flight.</b> The table lives off the Java heap,
 * in anonymous memory reserved once for the store's largest size ({@code capacity}, its maxPages) and backed by the
 * kernel only where touched: the heap an open store holds does not grow with its page count, and growing the table
 * ({@link #grow(long)}) moves nothing, so lock-free readers never see it change under them. Each page has its state in
 * half a byte (the low half for an even page, the high half for the odd one after it), changed by a compare-and-set of
 * the byte, since the neighbour may belong to another writer; a group holds an even number of pages, so no byte holds
 * pages of two groups. The CRC32C of a live page is not kept here: it is read from the page's entry in the current
 * metadata copy ({@link LiveCrcs}). What matters only while a page is ALLOCATED or WRITTEN (the owner or write stamp
 * above the state, and a written page's CRC32C) lives in a separate <em>tag</em> array whose 4 KiB blocks (a
 * <em>region</em> of {@value #REGION_PAGES} pages) are given back to the kernel ({@code MADV_DONTNEED}) once no page of
 * the region is in flight, so the tags cost memory in proportion to the pages in flight, not to the pages ever written.
 * A count a region of its pages in flight guards that: it is raised before a page's tag is written and lowered after
 * the page's state left ALLOCATED or WRITTEN; a region is given back only by moving its count from 0 to a lock value,
 * which an allocation into it waits out. Beside them: a count a region (4 bytes for 512 pages) and a sequence and load
 * state a group (9 bytes for 510 pages). The memory is unmapped by a {@link Cleaner} once the table is unreachable,
 * never while a thread that holds the table can still touch it.
 *
 * <p><b>Groups loaded at first touch:</b> the entries of each group of pages (the pages one metadata page describes)
 * may be left unloaded by the open ({@link #unloaded(long, GroupLoader)}: after a clean close, open reads only
 * the superblocks). Every accessor that takes a page id, and {@link #groupSequence(long)}, passes one gate first: an
 * acquire load of the group's state byte; a group not yet {@code LOADED} is loaded there, by the first thread that
 * touches it ({@link GroupLoader#load(PageTable, long)}), while the others wait; a group whose load failed throws
 * {@link GroupLoader#failed(long)} for good. The state bytes (one a group) and the sequences the open read (one
 * {@code long} a group) live in the same reservation as the entries: no heap grows with the page count.
 *
 * <p><b>Thread safety:</b> a state is published with a release store after the page's bytes and tag are in place,
 * and read with an acquire load before them, so a reader that sees WRITTEN also sees the data and CRC. A tag (word)
 * is published with a release store after the CRC beside it, and the state after the tag: a reader that loads an
 * in-flight state (acquire) and then the tag (acquire) sees the tag of that state or of a later one; if the tag's
 * region was given back meanwhile (its state no longer in flight, so the tag reads FREE), it loads the state again. A
 * group's {@code LOADED} is published with a release store after its entries and sequence are in place, and read with
 * an acquire load by the gate, before them.
 */
public final class PageTable
{
    /**
     * Free in the last durable checkpoint and held by no writer, or held by a writer but not yet handed out.
     */
    public static final int FREE = 0;

    /**
     * Handed out by a writer's {@code allocate} and not yet written; the owner's id is in the high bits.
     */
    public static final int ALLOCATED = 1;

    /**
     * Written, with a receipt, and in no completed checkpoint yet.
     */
    public static final int WRITTEN = 2;

    /**
     * Live in the last durable checkpoint.
     */
    public static final int LIVE = 3;

    /**
     * Live in the last durable checkpoint, with a free staged for the next one.
     */
    public static final int FREEING = 4;

    /**
     * Bits of the state word that hold the state; the owner id sits above them.
     */
    public static final int STATE_BITS = 3;

    /**
     * The largest writer id, and the mask of a write stamp: what fits above the state bits of an {@code int}.
     */
    public static final int MAX_OWNER = (1 << (Integer.SIZE - STATE_BITS)) - 1;

    /**
     * Pages whose tags share one 4 KiB block, given back to the kernel as one once none of them is in flight.
     */
    public static final int REGION_PAGES = 512;

    /**
     * Regions whose last page in flight left are kept backed until this many more wait, then the oldest is given
     * back: a page allocated, committed and reused over and over (the small commits of an engine) then finds its
     * tag block backed, where giving it back at once would cost an {@code madvise} and a fault of fresh memory (several
     * microseconds on this project's VM) on each commit. Bounds the tags kept for nothing to 128 KiB.
     */
    static final int IDLE_REGIONS = 32;

    private static final int STATE_MASK = (1 << STATE_BITS) - 1;
    // A page's state takes half a byte: the low half for an even page, the high half for the odd one after it.
    private static final int NIBBLE = 0xF;
    // A tag: the state word of a page in flight, then the CRC32C of a written page's bytes.
    private static final int TAG_BYTES = 2 * Integer.BYTES;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final long HUGE_PAGE = 2L << 20;
    private static final int GROUP = StoreLayout.GROUP_USER_PAGES;
    /**
     * What {@link #wordOf(int)} returns for a tag given back: no state word is negative.
     */
    static final int STALE = -1;
    // A region's count while its tags are given back: an allocation into it waits.
    private static final int RECLAIMING = -1;
    /**
     * Group states: zero, what the reservation starts with, is LOADED, so that a table filled at open, and every group
     * a growth adds (all free, never read), needs no store.
     */
    private static final byte LOADED = 0;
    private static final byte UNLOADED = 1;
    private static final byte LOADING = 2;
    private static final byte FAILED = 3;

    private final long statesAddress;
    private final long tagsAddress;
    private final long countsAddress;
    private final long sequencesAddress;
    private final long groupStatesAddress;
    private final long capacity;
    /**
     * Regions whose count reached 0, oldest first, not yet given back; guarded by itself.
     */
    private final long[] idle = new long[IDLE_REGIONS + 1];
    private final int idleRegions;
    private int idleHead;
    private int idleCount;
    // Regions given back so far, for tests.
    private final AtomicLong givenBack = new AtomicLong();
    /**
     * The groups the open left unloaded, {@code [0, lazyGroups)}, and who loads them; set once by {@link #unloaded},
     * before the table is shared (the store's construction publishes it).
     */
    private long lazyGroups;
    /**
     * The clean close's free map the open had (see {@code SuperblockDescriptor.FREE_MAP_OFFSET}), and how many groups
     * a bit covers; {@code null} if none. A constant 3,840 bytes, whatever the store's size.
     */
    private byte[] openFreeMap;
    private long openFreeMapSpan = 1;
    private GroupLoader loader;
    // Volatile: grows while readers and writers run; pages below it are in the table.
    private volatile long size;

    /**
     * Creates a table of free pages.
     *
     * @param pageCount the number of user pages.
     */
    public PageTable(final long pageCount)
    {
        this(pageCount, pageCount);
    }

    /**
     * Creates a table of free pages that can grow to {@code capacity} pages without moving.
     *
     * @param pageCount the number of user pages.
     * @param capacity  the largest number of user pages, at least {@code pageCount}.
     * @throws IllegalStateException if the memory cannot be reserved.
     */
    public PageTable(final long pageCount, final long capacity)
    {
        this(pageCount, capacity, IDLE_REGIONS);
    }

    /**
     * Creates a table of free pages that keeps {@code idleRegions} idle regions' tags: for tests, which give them back
     * at once (0) to race the giving back with every change of state.
     *
     * @param pageCount   the number of user pages.
     * @param capacity    the largest number of user pages, at least {@code pageCount}.
     * @param idleRegions how many regions with no page in flight keep their tags, in {@code [0, IDLE_REGIONS]}.
     */
    PageTable(final long pageCount, final long capacity, final int idleRegions)
    {
        if (idleRegions < 0 || idleRegions > IDLE_REGIONS)
        {
            throw new IllegalArgumentException("idleRegions=" + idleRegions + " must be in [0, " + IDLE_REGIONS + "]");
        }
        this.idleRegions = idleRegions;
        if (pageCount < 0 || capacity < pageCount)
        {
            throw new IllegalArgumentException("pageCount=" + pageCount + " must be in [0, capacity=" + capacity + "]");
        }
        // Each array starts on a 2 MiB boundary, so that a fill from page 0 can be backed by whole 2 MiB pages (see
        // adviseFill), and the tags on a 4 KiB one, so that a region's block is one kernel page; the margins are
        // address space only.
        final long pages = Math.max(1, capacity);
        final long groups = (pages + GROUP - 1) / GROUP;
        final long regions = (pages + REGION_PAGES - 1) / REGION_PAGES;
        final long stateBytes = roundUp((pages + 1) / 2, HUGE_PAGE);
        final long tagBytes = regions * REGION_PAGES * TAG_BYTES;
        final long bytes = stateBytes + tagBytes + regions * Integer.BYTES + groups * (Long.BYTES + 1) + HUGE_PAGE;
        final long reserved;
        try
        {
            reserved = NativeIo.mmapAnonymous(bytes);
        }
        catch (final NativeCallException ex)
        {
            throw new IllegalStateException("cannot reserve " + bytes + " bytes for the page table of " + capacity +
                " pages", ex);
        }
        statesAddress = roundUp(reserved, HUGE_PAGE);
        tagsAddress = statesAddress + stateBytes;
        countsAddress = tagsAddress + tagBytes;
        sequencesAddress = countsAddress + regions * Integer.BYTES;
        groupStatesAddress = sequencesAddress + groups * Long.BYTES;
        this.capacity = capacity;
        this.size = pageCount;
        CLEANER.register(this, () -> unmap(reserved, bytes));
    }

    private static long roundUp(final long value, final long alignment)
    {
        return (value + alignment - 1) & -alignment;
    }

    private static void unmap(final long address, final long bytes)
    {
        try
        {
            NativeIo.munmap(address, bytes);
        }
        catch (final NativeCallException ex)
        {
            // Nothing refers to the memory any more: a failed munmap only leaks address space.
        }
    }

    /**
     * Grows the table to {@code pageCount} pages, all free; the pages below the old size are untouched.
     *
     * @param pageCount the new number of pages, in {@code [size(), capacity()]}.
     */
    public void grow(final long pageCount)
    {
        if (pageCount < size || pageCount > capacity)
        {
            throw new IllegalArgumentException("pageCount=" + pageCount + " must be in [" + size + ", " + capacity +
                "]");
        }
        // Volatile write: the new entries are zero (FREE) since the reservation; publish them.
        size = pageCount;
    }

    /**
     * Asks the kernel to back the entries of pages {@code [0, pages)}, which the caller is about to fill, with 2 MiB
     * pages where whole ones fit inside that range ({@code MADV_HUGEPAGE}; the reservation past it keeps 4 KiB pages,
     * so nothing is backed that would not be touched anyway). On this project's virtual machine the first write
     * through each 4 KiB entry of new anonymous memory costs several microseconds (README, limitations), so open's
     * fill of a million entries took tens of milliseconds; through 2 MiB pages it took under one. A kernel without
     * transparent huge pages refuses the hint, and the entries are backed as before.
     *
     * @param pages the number of leading pages about to be filled.
     */
    public void adviseFill(final long pages)
    {
        adviseHuge(statesAddress, (Math.min(pages, capacity) + 1) / 2);
    }

    private static void adviseHuge(final long first, final long length)
    {
        // first is on a 2 MiB boundary: only the last, partly filled 2 MiB keeps 4 KiB pages.
        final long last = (first + length) & -HUGE_PAGE;
        if (last > first)
        {
            try
            {
                NativeIo.madvise(first, last - first, MADV_HUGEPAGE);
            }
            catch (final NativeCallException ex)
            {
                // Only a hint: the entries are backed 4 KiB at a time instead.
            }
        }
    }

    /**
     * {@return the largest number of pages the table can grow to}
     */
    public long capacity()
    {
        return capacity;
    }

    /**
     * {@return the state word of an allocated page: the state and its owner}
     *
     * @param owner the writer's id.
     */
    public static int allocatedBy(final int owner)
    {
        if (owner < 1 || owner > MAX_OWNER)
        {
            throw new IllegalArgumentException("owner=" + owner + " must be in [1, " + MAX_OWNER + "]");
        }
        return (owner << STATE_BITS) | ALLOCATED;
    }

    /**
     * {@return the write stamp of a write made while {@code lastCheckpoint} was the last durable checkpoint}
     *
     * <p>A page is written again only after a checkpoint made it live and a later one freed it, or after its write
     * was discarded; the store passes the sum of its last durable checkpoint and its discards so far, which both
     * only grow, so two writes of one page in one store instance always have different stamps, until the stamp
     * wraps after {@code MAX_OWNER + 1} checkpoints and discards (a receipt is also checked against the page's
     * CRC32C, so a stale receipt that old must also match the bytes of the page's current write to be taken for it).
     *
     * @param lastCheckpoint the sequence of the last durable checkpoint when the page is written, plus the number of
     *                       discarded writes so far.
     */
    public static int stampOf(final long lastCheckpoint)
    {
        return (int)((lastCheckpoint + 1) & MAX_OWNER);
    }

    /**
     * {@return the state word of a page just written with write stamp {@code stamp}}
     *
     * @param stamp the write stamp, from {@link #stampOf(long)}.
     */
    public static int writtenWith(final int stamp)
    {
        return (stamp << STATE_BITS) | WRITTEN;
    }

    /**
     * {@return whether a page whose state word is {@code word} may hold the write stamped {@code stamp}}: WRITTEN with
     * that stamp, or LIVE or FREEING, whose words keep no stamp (a receipt of a live page is then checked by its
     * CRC32C alone).
     *
     * @param word  a state word.
     * @param stamp a write stamp, from a receipt.
     */
    public static boolean holdsWrite(final int word, final int stamp)
    {
        return writtenWith(stamp) == word || LIVE == word || FREEING == word;
    }

    /**
     * {@return the state in a state word, without its owner}
     *
     * @param word a state word.
     */
    public static int stateOf(final int word)
    {
        return word & STATE_MASK;
    }

    /**
     * {@return the name of a state word, for messages}
     *
     * @param word a state word.
     */
    public static String nameOf(final int word)
    {
        return switch (stateOf(word))
        {
            case FREE -> "FREE";
            case ALLOCATED -> "ALLOCATED(writer=" + (word >>> STATE_BITS) + ")";
            case WRITTEN -> "WRITTEN";
            case LIVE -> "LIVE";
            case FREEING -> "FREEING";
            default -> "UNKNOWN(" + word + ")";
        };
    }

    /**
     * {@return the number of pages}
     */
    public long size()
    {
        return size;
    }

    /**
     * {@return a page's state word, with acquire ordering: the page's bytes and CRC are visible if it is written}
     *
     * <p>The state of a LIVE, FREEING or FREE page is its whole word; an ALLOCATED or WRITTEN page's word is its tag,
     * which holds the state too (see the class comment for why a given-back tag makes this load the state again).
     *
     * @param page the page.
     */
    public int stateAcquire(final long page)
    {
        gate(page);
        while (true)
        {
            // Acquire: partner of the release stores of the state in allocated, written, and the others; the tag,
            // CRC and data stored before it are visible.
            final int state = stateNibble(page);
            if (ALLOCATED != state && WRITTEN != state)
            {
                return state;
            }
            // Acquire: partner of the release of the tag in allocated and written.
            final int word = wordOf(UnsafeApi.getIntAcquire(null, tagsAddress + page * TAG_BYTES));
            if (STALE != word)
            {
                return word;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * {@return the word of a page whose state byte was loaded in flight, from its tag loaded after it, or
     * {@link #STALE} if the tag no longer holds a state in flight}: the page left flight since its state was loaded
     * and its region's tags were given back (they read as FREE), so its state byte is newer now and must be loaded
     * again.
     *
     * @param tag the page's tag.
     */
    static int wordOf(final int tag)
    {
        final int state = stateOf(tag);
        return ALLOCATED == state || WRITTEN == state ? tag : STALE;
    }

    /**
     * Hands out pages to the writer whose allocated word is {@code word}: FREE to ALLOCATED. Only the writer that
     * claimed the pages from the pool calls this; no other thread changes them meanwhile.
     *
     * @param first the first page.
     * @param count how many pages, in one run.
     * @param word  the writer's word, from {@link #allocatedBy(int)}.
     */
    public void allocated(final long first, final int count, final int word)
    {
        final long end = first + count;
        long page = first;
        while (page < end)
        {
            final long region = page / REGION_PAGES;
            final long regionEnd = Math.min(end, (region + 1) * REGION_PAGES);
            enterRegion(region, (int)(regionEnd - page));
            for (; page < regionEnd; page++)
            {
                gate(page);
                UnsafeApi.putIntRelease(null, tagsAddress + page * TAG_BYTES, word);
                // Release: partner of the acquire in stateAcquire; publishes the tag.
                setState(page, ALLOCATED);
            }
        }
    }

    /**
     * Records the write of an allocated page: ALLOCATED to WRITTEN, with its CRC32C and write stamp; called by its
     * owner only.
     *
     * @param page the page.
     * @param word its new word, from {@link #writtenWith(int)}.
     * @param crc  the CRC32C of its bytes, written before this call.
     */
    public void written(final long page, final int word, final int crc)
    {
        gate(page);
        UnsafeApi.putInt(tagsAddress + page * TAG_BYTES + Integer.BYTES, crc);
        // Release: partner of the acquire of the tag in stateAcquire; publishes the page's bytes and CRC with it.
        UnsafeApi.putIntRelease(null, tagsAddress + page * TAG_BYTES, word);
        // Release: partner of the acquire of the state in stateAcquire; publishes the tag, CRC and bytes.
        setState(page, WRITTEN);
    }

    /**
     * Takes back an allocated page its owner discards, or leaves by closing: ALLOCATED to FREE; called by the owner
     * only, before the page goes back to the pool (whose lock orders this before the next owner's
     * {@link #allocated}).
     *
     * @param page the page.
     */
    public void unallocated(final long page)
    {
        leaveFlight(page, FREE);
    }

    /**
     * Frees a written page whose receipt its owner discards: WRITTEN to FREE. The caller checked, with
     * {@link #stateAcquire(long)}, that the page holds the discarded write, and holds the lock that keeps any
     * checkpoint from making the page live meanwhile (the only other change a WRITTEN page can see).
     *
     * @param page the page.
     */
    public void discarded(final long page)
    {
        leaveFlight(page, FREE);
    }

    /**
     * Makes a written page live: WRITTEN to LIVE, by the checkpoint that included it, once durable.
     *
     * @param page the page.
     */
    public void madeLive(final long page)
    {
        leaveFlight(page, LIVE);
    }

    /**
     * Stages the free of a live page: LIVE to FREEING, atomically.
     *
     * @param page the page.
     * @return the page's state word before the call: LIVE if the page is now FREEING, else what it was.
     */
    public int freeing(final long page)
    {
        gate(page);
        while (true)
        {
            final int word = stateAcquire(page);
            if (LIVE != word || compareAndSetState(page, LIVE, FREEING))
            {
                return word;
            }
        }
    }

    /**
     * Frees a page whose free a durable checkpoint holds: FREEING to FREE.
     *
     * @param page the page.
     */
    public void freed(final long page)
    {
        gate(page);
        // Release: partner of the acquire in stateAcquire.
        setState(page, FREE);
    }

    /**
     * {@return the CRC32C of a written page's bytes}: read it after an acquire load that found the page WRITTEN. Zero
     * if the page left flight since and its region's tags were given back: the caller then finds its state changed.
     * A live page's CRC32C is in the metadata ({@link LiveCrcs}).
     *
     * @param page the page.
     */
    public int writtenCrc(final long page)
    {
        gate(page);
        return UnsafeApi.getInt(tagsAddress + page * TAG_BYTES + Integer.BYTES);
    }

    /**
     * {@return a page's tag as stored, zero if its region was given back}: for tests of the giving back.
     *
     * @param page the page.
     */
    int tagPlain(final long page)
    {
        return UnsafeApi.getIntVolatile(null, tagsAddress + page * TAG_BYTES);
    }

    /**
     * {@return how many times a region's tags were given back so far}: for tests.
     */
    long givenBack()
    {
        return givenBack.get();
    }

    /**
     * {@return whether a page of a region is in flight (or the region is being given back)}: for tests.
     *
     * @param region the region, {@code page / REGION_PAGES}.
     */
    boolean regionInFlight(final long region)
    {
        return 0 != UnsafeApi.getIntVolatile(null, countsAddress + region * Integer.BYTES);
    }

    private static int shiftOf(final long page)
    {
        return (int)(page & 1) << 2;
    }

    /**
     * {@return a page's state, from the half of the byte it shares with its neighbour}: with acquire ordering,
     * partner of the compare-and-set in {@link #setState} and {@link #compareAndSetState}.
     */
    private int stateNibble(final long page)
    {
        return (UnsafeApi.getByteAcquire(null, statesAddress + (page >>> 1)) >>> shiftOf(page)) & NIBBLE;
    }

    /**
     * Sets a page's state and leaves its neighbour's: a compare-and-set of the byte the two share, since the
     * neighbour may belong to another writer. It has volatile semantics, so it also publishes, like a release store,
     * everything written before it (the tag, the CRC32C, the page's bytes).
     */
    private void setState(final long page, final int state)
    {
        final long address = statesAddress + (page >>> 1);
        final int shift = shiftOf(page);
        while (true)
        {
            final byte both = UnsafeApi.getByteVolatile(null, address);
            if (UnsafeApi.compareAndSetByte(null, address, both,
                (byte)((both & ~(NIBBLE << shift)) | (state << shift))))
            {
                return;
            }
        }
    }

    /**
     * Changes a page's state from {@code expected} to {@code state} atomically, leaving its neighbour's.
     */
    private boolean compareAndSetState(final long page, final int expected, final int state)
    {
        final long address = statesAddress + (page >>> 1);
        final int shift = shiftOf(page);
        while (true)
        {
            final byte both = UnsafeApi.getByteVolatile(null, address);
            if (((both >>> shift) & NIBBLE) != expected)
            {
                return false;
            }
            if (UnsafeApi.compareAndSetByte(null, address, both,
                (byte)((both & ~(NIBBLE << shift)) | (state << shift))))
            {
                return true;
            }
        }
    }

    private void leaveFlight(final long page, final int state)
    {
        gate(page);
        // Release: partner of the acquire in stateAcquire. Before the region's count drops: a region is given back
        // only once no state in it is in flight.
        setState(page, state);
        final long count = countsAddress + page / REGION_PAGES * Integer.BYTES;
        if (1 == UnsafeApi.getAndAddInt(null, count, -1))
        {
            idle(page / REGION_PAGES);
        }
    }

    private void enterRegion(final long region, final int pages)
    {
        final long count = countsAddress + region * Integer.BYTES;
        int spins = 0;
        while (true)
        {
            // Acquire: partner of the release in giveBack that ends the giving back: the tags read as zero after it.
            final int current = UnsafeApi.getIntAcquire(null, count);
            if (RECLAIMING != current && UnsafeApi.compareAndSetInt(null, count, current, current + pages))
            {
                return;
            }
            if (++spins > 64)
            {
                Thread.yield();
            }
        }
    }

    /**
     * Queues a region whose count reached 0, and gives back the oldest queued one once more than
     * {@link #IDLE_REGIONS} wait.
     */
    private void idle(final long region)
    {
        final long oldest;
        synchronized (idle)
        {
            if (idleCount > 0 && idle[(idleHead + idleCount - 1) % idle.length] == region)
            {
                return;
            }
            idle[(idleHead + idleCount) % idle.length] = region;
            if (++idleCount <= idleRegions)
            {
                return;
            }
            oldest = idle[idleHead];
            idleHead = (idleHead + 1) % idle.length;
            idleCount--;
        }
        giveBack(oldest);
    }

    /**
     * Gives a region's tags back to the kernel if none of its pages is in flight: the next touch reads zeros.
     */
    private void giveBack(final long region)
    {
        final long count = countsAddress + region * Integer.BYTES;
        if (!UnsafeApi.compareAndSetInt(null, count, 0, RECLAIMING))
        {
            // A page of it is in flight again: keep it.
            return;
        }
        try
        {
            NativeIo.madvise(tagsAddress + region * REGION_PAGES * TAG_BYTES, REGION_PAGES * TAG_BYTES, MADV_DONTNEED);
        }
        catch (final NativeCallException ex)
        {
            // The tags stay backed: only memory is lost, never a tag in use (no page of the region is in flight).
        }
        finally
        {
            givenBack.incrementAndGet();
            // Release: partner of the acquire in enterRegion.
            UnsafeApi.putIntRelease(null, count, 0);
        }
    }

    /**
     * Marks the groups {@code [0, groups)} unloaded: each is loaded by {@code loader} at its first touch. Called once,
     * by the open, before the table is shared; costs one byte store a group (a million pages: under 2 KiB).
     *
     * @param groups the groups the open did not load: those below the high-water mark.
     * @param loader who loads them.
     */
    public void unloaded(final long groups, final GroupLoader loader)
    {
        unloaded(groups, null, 1, loader);
    }

    /**
     * As {@link #unloaded(long, GroupLoader)}, with the clean close's free map.
     *
     * @param groups      the groups the open did not load: those below the high-water mark.
     * @param freeMap     the clean close's free map, or {@code null} if none (every group may hold a free page).
     * @param freeMapSpan how many groups a bit of it covers, at least 1.
     * @param loader      who loads them.
     */
    public void unloaded(final long groups, final byte[] freeMap, final long freeMapSpan, final GroupLoader loader)
    {
        if (freeMapSpan < 1 || null != freeMap && (groups + freeMapSpan - 1) / freeMapSpan > 8L * freeMap.length)
        {
            throw new IllegalArgumentException("freeMapSpan=" + freeMapSpan + " must be at least 1 and the map must " +
                "cover groups=" + groups);
        }
        this.openFreeMap = freeMap;
        this.openFreeMapSpan = freeMapSpan;
        if (groups < 0 || groups > (Math.max(1, capacity) + GROUP - 1) / GROUP)
        {
            throw new IllegalArgumentException("groups=" + groups + " must be in [0, groups of capacity=" + capacity +
                "]");
        }
        this.loader = loader;
        this.lazyGroups = groups;
        UnsafeApi.setMemory(groupStatesAddress, groups, UNLOADED);
    }

    /**
     * {@return whether a group not loaded since the open may hold a free page, by the clean close's free map the open
     * had}: {@code true} without a map.
     *
     * @param group the group, below {@link #lazyGroups()}.
     */
    public boolean mayHoldFree(final long group)
    {
        final byte[] map = openFreeMap;
        if (null == map)
        {
            return true;
        }
        final long bit = group / openFreeMapSpan;
        return 0 != (map[(int)(bit >>> 3)] & (1 << (bit & 7)));
    }

    /**
     * {@return the free map of the first {@code groups} groups in the durable checkpoint}: bit {@code i} set if a
     * group in {@code [i * span, (i + 1) * span)} holds a page neither LIVE nor FREEING, or is a group not loaded since
     * the open that {@link #mayHoldFree(long) may} hold one. For the clean close's mark, with no checkpoint running:
     * O(the loaded pages) plus a bit a group.
     *
     * @param groups the groups to map: the durable high-water mark.
     * @param span   how many groups a bit covers.
     * @param bytes  the map's length in bytes, enough for {@code groups / span} bits.
     */
    public byte[] freeMap(final long groups, final long span, final int bytes)
    {
        final byte[] map = new byte[bytes];
        for (long group = 0; group < groups; group++)
        {
            final long bit = group / span;
            if (0 != (map[(int)(bit >>> 3)] & (1 << (bit & 7))) || !holdsOnlyLive(group))
            {
                map[(int)(bit >>> 3)] |= (byte)(1 << (bit & 7));
                group = (bit + 1) * span - 1;
            }
        }
        return map;
    }

    private boolean holdsOnlyLive(final long group)
    {
        if (!isLoaded(group))
        {
            return !mayHoldFree(group);
        }
        final long end = Math.min(size, (group + 1) * GROUP);
        for (long page = group * GROUP; page < end; page++)
        {
            // Acquire: partner of the release that published the page's state.
            final int state = stateNibble(page);
            if (LIVE != state && FREEING != state)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * {@return the number of groups the open left unloaded, {@code [0, lazyGroups())}; 0 if it loaded them all}
     */
    public long lazyGroups()
    {
        return lazyGroups;
    }

    /**
     * {@return whether a group's entries are in the table}: with acquire ordering, so they are visible if so.
     *
     * @param group the group.
     */
    public boolean isLoaded(final long group)
    {
        // Acquire: partner of the release in loadGroup that publishes LOADED after the entries.
        return LOADED == UnsafeApi.getByteAcquire(null, groupStatesAddress + group);
    }

    /**
     * Loads a group unless it is loaded, without waiting for another thread that is loading it: for a caller holding
     * a lock the loader may need (the free pool's).
     *
     * @param group the group.
     * @return {@code true} if the group is loaded now; {@code false} if another thread is loading it.
     * @throws RuntimeException {@link GroupLoader#failed(long)} if its load failed, here or before.
     */
    public boolean tryLoad(final long group)
    {
        return loadGroup(group, false);
    }

    /**
     * {@return the sequence of the group's metadata page in the copy the store opened at, or
     * {@link GroupSequences#NONE} if the group never held a live page}: loads the group first if needed.
     *
     * @param group the group.
     */
    public long groupSequence(final long group)
    {
        gate(group * GROUP);
        final long stored = UnsafeApi.getLong(sequencesAddress + group * Long.BYTES);
        return 0 == stored ? GroupSequences.NONE : stored - 1;
    }

    /**
     * Records a group's sequence, for {@link #groupSequence(long)}: by the open or the group's loader only, before the
     * group is published.
     *
     * @param group    the group.
     * @param sequence its metadata page's sequence.
     */
    void setGroupSequence(final long group, final long sequence)
    {
        // Stored plus one, so that the zero of the reservation reads NONE; published by the group's LOADED release
        // (or, for an eager open, by the store's construction).
        UnsafeApi.putLong(sequencesAddress + group * Long.BYTES, sequence + 1);
    }

    /**
     * Loads a live page's state, without the gate: by the open or the group's loader only, before the group is
     * published. Its CRC32C stays in the metadata ({@link LiveCrcs}).
     *
     * @param page the page.
     */
    void loadLive(final long page)
    {
        // Plain read and write of the byte it shares with its neighbour: a group's pages are loaded by one thread
        // while no other touches them, and no byte holds pages of two groups (a group holds an even number).
        final long address = statesAddress + (page >>> 1);
        final int shift = shiftOf(page);
        UnsafeApi.putByteRelease(null, address,
            (byte)((UnsafeApi.getByte(address) & ~(NIBBLE << shift)) | (LIVE << shift)));
    }

    /**
     * {@return a page's state without the gate}: for the open and a group's loader, which read back what they
     * filled (FREE or LIVE, which need no tag).
     *
     * @param page the page.
     */
    int loadedState(final long page)
    {
        return (UnsafeApi.getByte(statesAddress + (page >>> 1)) >>> shiftOf(page)) & NIBBLE;
    }

    private void gate(final long page)
    {
        // Acquire: partner of the release in loadGroup that publishes LOADED after the group's entries. The one cost
        // the lazy open adds to every access: a byte load, on x86 a plain one.
        if (LOADED != UnsafeApi.getByteAcquire(null, groupStatesAddress + page / GROUP))
        {
            loadGroup(page / GROUP, true);
        }
    }

    private boolean loadGroup(final long group, final boolean wait)
    {
        final long state = groupStatesAddress + group;
        int spins = 0;
        while (true)
        {
            final byte current = UnsafeApi.getByteAcquire(null, state);
            if (LOADED == current)
            {
                return true;
            }
            if (FAILED == current)
            {
                throw loader.failed(group);
            }
            if (UNLOADED == current && UnsafeApi.compareAndSetByte(null, state, UNLOADED, LOADING))
            {
                try
                {
                    loader.load(this, group);
                }
                catch (final RuntimeException | Error ex)
                {
                    // Release: a waiter that reads FAILED throws the store's failure, recorded by the loader before.
                    UnsafeApi.putByteRelease(null, state, FAILED);
                    throw ex;
                }
                // Release: partner of the acquire in gate, isLoaded and this loop; publishes the entries and the
                // sequence the loader filled.
                UnsafeApi.putByteRelease(null, state, LOADED);
                return true;
            }
            if (!wait)
            {
                return false;
            }
            // Another thread is loading it: one pread and a pass over one page's entries, tens of microseconds.
            if (++spins < 64)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    /**
     * Counts the pages by state, each read with acquire ordering; exact only while nothing changes. One pass over
     * every page: for tests and checks only. {@code PageStore.stats()} reads the counts kept at each change of state
     * instead ({@code PageCounts}), which equal this when nothing changes.
     *
     * @return {@code {live, inFlight, written}}: LIVE or FREEING pages, ALLOCATED or WRITTEN pages, and of these
     *         the WRITTEN ones.
     */
    public long[] countLiveAndInFlight()
    {
        long live = 0;
        long inFlight = 0;
        long written = 0;
        final long pages = size;
        for (long page = 0; page < pages; page++)
        {
            final int state = stateOf(stateAcquire(page));
            if (LIVE == state || FREEING == state)
            {
                live++;
            }
            else if (ALLOCATED == state || WRITTEN == state)
            {
                inFlight++;
                written += WRITTEN == state ? 1 : 0;
            }
        }
        return new long[]{live, inFlight, written};
    }
}
