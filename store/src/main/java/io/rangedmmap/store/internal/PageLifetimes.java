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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What snapshots need to tell whether a page was live at their checkpoint {@code S}, kept only while a snapshot is
 * open and only for the pages that changed meanwhile: for each page made live or freed by a checkpoint after
 * {@link #from()}, the checkpoint that made its current bytes live and the one that freed them ({@code liveSince
 * <= S < freedAt}). A page without an entry has not changed since {@code from}, so its state in the {@link PageTable}
 * answers for every {@code S >= from}: live (or with a free staged) there, live at {@code S}. Its CRC32C comes from
 * the table too: a page live at {@code S} keeps its bytes and CRC while any snapshot that can see it is open, because
 * its space is not reused until then (see {@link SnapshotRegistry}).
 *
 * <p>A page freed while tracked keeps the CRC32C it had in its entry ({@code freedCrc}): its entry in the current
 * metadata copy is cleared by the checkpoint that frees it, while a snapshot may still read its bytes. Every other
 * page a snapshot sees live is live now with the same bytes, and its CRC32C is in the current copy ({@link LiveCrcs}).
 *
 * <p>The {@link SnapshotRegistry} creates one when the first snapshot opens, records in it every checkpoint published
 * while one is open, and drops it when the last closes; it is held by the snapshots, counted like a
 * {@link SnapshotRegistry.Pin}. The entries sit on the Java heap, in an open-addressing table of four {@code long}s
 * a slot (page + 1, liveSince, freedAt, freedCrc) at most half full, so the memory follows the pages changed while a
 * snapshot is open, not the store; when it fills, it is rebuilt without the entries every open snapshot can do
 * without (those whose last change is at or below the oldest pinned checkpoint: the table's state answers for them).
 *
 * <p><b>Thread safety:</b> written only by the checkpoint leader, under the registry's lock, read by any thread
 * without a lock. The leader records a checkpoint's changes here before it sets their states in the table (release,
 * in {@code CheckpointCoordinator.publish}); {@link #liveAt} loads the state (acquire) before the slots array
 * (acquire) and the slot's key (acquire), so a reader that sees the new state finds the entry. A new entry's values
 * are written before its key (release). A page made live again writes {@code liveSince} before {@code freedAt} (both
 * release); a reader loads {@code freedAt} before {@code liveSince} (both acquire), so a reader that sees the new
 * {@code freedAt} also sees the new {@code liveSince}; every value written after a snapshot at {@code S} was pinned
 * is above {@code S}, so a torn pair never makes a page visible that was not live at {@code S}. A rebuilt array is
 * filled before it is published (release); the old one is never written again and is left to the collector, so a
 * reader still probing it reads what it held.
 */
public final class PageLifetimes
{
    private static final VarHandle SLOTS;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long NEVER = Long.MAX_VALUE;

    /**
     * What {@link #recordedCrc(long)} returns for a page live now: outside the range of a CRC32C.
     */
    public static final long NONE = -1L << 32;
    // liveSince of a page freed while tracked, made live before: live at every S >= from until its free.
    private static final long BEFORE = Long.MIN_VALUE;
    private static final int KEY = 0;
    private static final int LIVE_SINCE = 1;
    private static final int FREED_AT = 2;
    private static final int FREED_CRC = 3;
    private static final int STRIDE = 4;
    private static final int MIN_SLOTS = 64;
    // The most slots an array of four longs a slot can hold.
    private static final int MAX_SLOTS = 1 << 28;
    private static final int RETIRED = -1;

    static
    {
        try
        {
            SLOTS = MethodHandles.lookup().findVarHandle(PageLifetimes.class, "slots", long[].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final PageTable table;
    private final LiveCrcs liveCrcs;
    private final long from;
    private final AtomicInteger holders = new AtomicInteger();
    @SuppressWarnings("unused") // through SLOTS
    private long[] slots = new long[MIN_SLOTS * STRIDE];
    // Written and read by the leader only.
    private int entries;

    /**
     * Starts tracking the changes of the checkpoints after {@code from}.
     *
     * @param table    the store's page table, whose states answer for the pages without an entry.
     * @param liveCrcs the CRC32C of live pages, which answer for the pages not freed since {@code from}.
     * @param from     the checkpoint after which every change is recorded here.
     */
    PageLifetimes(final PageTable table, final LiveCrcs liveCrcs, final long from)
    {
        this.table = table;
        this.liveCrcs = liveCrcs;
        this.from = from;
    }

    /**
     * {@return the checkpoint after which every change is recorded here: snapshots pinned at or after it can use it}
     */
    public long from()
    {
        return from;
    }

    /**
     * {@return the CRC32C of a page's bytes live at a checkpoint a snapshot holding this pins}: recorded when its free
     * was published, else from its entry in the current copy.
     *
     * @param page the page, live at the snapshot's checkpoint.
     */
    public int crc(final long page)
    {
        while (true)
        {
            // Before the record: a checkpoint that frees the page records its CRC before the copy readers use moves
            // (beginPublish), so a read raced by it finds the record when it reads again. Partner of the seqlock in
            // LiveCrcs.
            final long published = liveCrcs.stamp();
            final long recorded = recordedCrc(page);
            if (NONE != recorded)
            {
                return (int)recorded;
            }
            final int crc = liveCrcs.crc(page);
            if (liveCrcs.unchangedSince(published))
            {
                return crc;
            }
            // A checkpoint is publishing: read again.
            Thread.onSpinWait();
        }
    }

    /**
     * {@return the CRC32C a page had when a checkpoint tracked here freed it, or {@link #NONE} if it is live now}: for
     * a read that takes the CRC32C of a live page inside the mapping's access gate ({@link LiveCrcs#crcIn}).
     *
     * @param page the page, live at the checkpoint of the snapshot asking.
     */
    public long recordedCrc(final long page)
    {
        // Acquire: partner of the release in rebuild.
        final long[] current = (long[])SLOTS.getAcquire(this);
        final int slot = find(current, page);
        if (slot < 0)
        {
            return NONE;
        }
        // Acquire, freedAt first: partner of the releases in freed, which stores the CRC before freedAt.
        final long freedAt = (long)SLOT.getAcquire(current, slot + FREED_AT);
        return NEVER == freedAt ? NONE : (int)(long)SLOT.getAcquire(current, slot + FREED_CRC);
    }

    /**
     * {@return whether the page's bytes were live at checkpoint {@code sequence}}
     *
     * @param page     the page.
     * @param sequence a checkpoint pinned by a snapshot holding this, at or after {@link #from()}.
     */
    public boolean liveAt(final long page, final long sequence)
    {
        // Acquire: partner of the state's compare-and-set in CheckpointCoordinator.publish, which follows record; the
        // slots and the entry are loaded after it, so a reader that sees a new state sees the entry recorded before it.
        final int state = PageTable.stateOf(table.stateAcquire(page));
        // Acquire: partner of the release in rebuild.
        final long[] current = (long[])SLOTS.getAcquire(this);
        final int slot = find(current, page);
        if (slot < 0)
        {
            return PageTable.LIVE == state || PageTable.FREEING == state;
        }
        // Acquire, freedAt first: partner of the releases in madeLive; liveSince read after it is at least as new.
        final long freedAt = (long)SLOT.getAcquire(current, slot + FREED_AT);
        final long liveSince = (long)SLOT.getAcquire(current, slot + LIVE_SINCE);
        return liveSince <= sequence && sequence < freedAt;
    }

    /**
     * Records what checkpoint {@code sequence} made live and freed, before their states change in the table; called
     * by the checkpoint leader (or the first snapshot, for the checkpoint being published) under the registry's
     * lock.
     *
     * @param sequence   the checkpoint, after {@link #from()}.
     * @param pages      the pages it made live.
     * @param frees      the pages it freed.
     * @param freeCrcs   the CRC32C each freed page had, in the order of {@code frees}.
     * @param pruneBound gives, when the table fills, a checkpoint at or below every snapshot open or to come.
     */
    void record(final long sequence, final long[] pages, final long[] frees, final int[] freeCrcs,
        final LongSupplier pruneBound)
    {
        for (final long page : pages)
        {
            madeLive(page, sequence, pruneBound);
        }
        for (int i = 0; i < frees.length; i++)
        {
            freed(frees[i], sequence, freeCrcs[i], pruneBound);
        }
    }

    /**
     * {@return the number of pages with an entry}: the pages changed since {@link #from()}, less those dropped by a
     * rebuild; for tests and measurements.
     */
    public int entries()
    {
        return entries;
    }

    /**
     * {@return the bytes of the slots array}, for measurements.
     */
    public long bytes()
    {
        return (long)((long[])SLOTS.getAcquire(this)).length * Long.BYTES;
    }

    /**
     * Counts one more snapshot holding this, unless the last one already let go.
     *
     * @return whether it is held; if not, the registry starts a new one.
     */
    boolean tryHold()
    {
        int current = holders.get();
        while (current >= 0)
        {
            if (holders.compareAndSet(current, current + 1))
            {
                return true;
            }
            current = holders.get();
        }
        return false;
    }

    /**
     * Lets go of one hold.
     *
     * @return whether it was the last one: this is retired, never held again.
     */
    boolean release()
    {
        return 0 == holders.decrementAndGet() && holders.compareAndSet(0, RETIRED);
    }

    private void madeLive(final long page, final long sequence, final LongSupplier pruneBound)
    {
        final long[] current = slotsForLeader();
        final int slot = find(current, page);
        if (slot >= 0)
        {
            // Release, liveSince first: a reader that sees the new freedAt (acquire in liveAt) sees the new liveSince.
            SLOT.setRelease(current, slot + LIVE_SINCE, sequence);
            SLOT.setRelease(current, slot + FREED_AT, NEVER);
            return;
        }
        insert(page, sequence, NEVER, 0, pruneBound);
    }

    private void freed(final long page, final long sequence, final int crc, final LongSupplier pruneBound)
    {
        final long[] current = slotsForLeader();
        final int slot = find(current, page);
        if (slot >= 0)
        {
            // Release, the CRC first: partner of the acquires of freedAt in liveAt and recordedCrc.
            SLOT.setRelease(current, slot + FREED_CRC, (long)crc);
            SLOT.setRelease(current, slot + FREED_AT, sequence);
            return;
        }
        // Not changed since from, so live since before it.
        insert(page, BEFORE, sequence, crc, pruneBound);
    }

    private void insert(final long page, final long liveSince, final long freedAt, final int freedCrc,
        final LongSupplier pruneBound)
    {
        long[] current = slotsForLeader();
        if ((entries + 1) * 2 > current.length / STRIDE)
        {
            current = rebuild(current, pruneBound.getAsLong());
        }
        final int slot = -1 - find(current, page);
        current[slot + LIVE_SINCE] = liveSince;
        current[slot + FREED_AT] = freedAt;
        current[slot + FREED_CRC] = freedCrc;
        // Release, after the values: partner of the acquire of the key in find.
        SLOT.setRelease(current, slot + KEY, page + 1);
        entries++;
    }

    /**
     * Copies the entries changed after {@code bound} into a new array about a quarter full (at most, and at least an
     * eighth unless at its smallest), and publishes it.
     */
    private long[] rebuild(final long[] old, final long bound)
    {
        int kept = 0;
        for (int slot = 0; slot < old.length; slot += STRIDE)
        {
            kept += 0 != old[slot + KEY] && lastChange(old, slot) > bound ? 1 : 0;
        }
        int capacity = MIN_SLOTS;
        // A quarter full: kept is half the old capacity when nothing could be dropped, so the table doubles.
        while (capacity < kept * 4L && capacity < MAX_SLOTS)
        {
            capacity <<= 1;
        }
        if ((kept + 1L) * 2 > capacity)
        {
            throw new IllegalStateException("cannot track the lifetimes of more than " + MAX_SLOTS / 2 +
                " pages changed while a snapshot is open (since checkpoint " + bound + "); close older snapshots");
        }
        final long[] rebuilt = new long[capacity * STRIDE];
        for (int slot = 0; slot < old.length; slot += STRIDE)
        {
            if (0 != old[slot + KEY] && lastChange(old, slot) > bound)
            {
                final int to = -1 - find(rebuilt, old[slot + KEY] - 1);
                System.arraycopy(old, slot, rebuilt, to, STRIDE);
            }
        }
        entries = kept;
        // Release, after every plain store into it: partner of the acquire in liveAt.
        SLOTS.setRelease(this, rebuilt);
        return rebuilt;
    }

    private static long lastChange(final long[] slots, final int slot)
    {
        final long freedAt = slots[slot + FREED_AT];
        return NEVER == freedAt ? slots[slot + LIVE_SINCE] : freedAt;
    }

    private long[] slotsForLeader()
    {
        // Plain: only the leader writes the field, and it reads its own last write.
        return (long[])SLOTS.get(this);
    }

    /**
     * {@return the index of the page's slot, or {@code -1 - index} of the empty slot where it would go}
     */
    private static int find(final long[] slots, final long page)
    {
        final int mask = slots.length / STRIDE - 1;
        int index = mix(page) & mask;
        while (true)
        {
            // Acquire: partner of the release of the key in insert; the values written before it are visible.
            final long key = (long)SLOT.getAcquire(slots, index * STRIDE + KEY);
            if (0 == key)
            {
                return -1 - index * STRIDE;
            }
            if (page + 1 == key)
            {
                return index * STRIDE;
            }
            index = (index + 1) & mask;
        }
    }

    private static int mix(final long page)
    {
        // Fibonacci hashing: nearby pages (which checkpoints change together) spread over the table.
        return (int)((page * 0x9E3779B97F4A7C15L) >>> 32);
    }
}
