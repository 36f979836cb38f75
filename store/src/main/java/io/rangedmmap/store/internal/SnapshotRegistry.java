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

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The open snapshots of a store and the freed pages they hold back, as LMDB's reader table does: a page freed by
 * checkpoint {@code F} is handed back to the allocator only once no open snapshot is pinned below {@code F}, so
 * every page live in a pinned checkpoint keeps its bytes (and CRC32C) until the last snapshot that can see it closes.
 *
 * <p><b>Pinning without a lock.</b> A snapshot reads the durable checkpoint, counts itself in that sequence's
 * {@link Pin} (a CAS), then reads the durable checkpoint again and keeps the pin only if it is unchanged. The
 * checkpoint leader publishes the new durable checkpoint (a volatile write) before it reads the pins to decide which
 * frees to hold. All of these are volatile accesses, in one total order: either the leader sees the pin, or the
 * snapshot sees the newer checkpoint and pins that one instead. Neither waits for the other.
 *
 * <p><b>Lifetimes only while a snapshot is open.</b> What a snapshot needs to tell the pages of its checkpoint
 * ({@link PageLifetimes}) exists only while a snapshot is open: the first to open creates it, the leader records in
 * it each checkpoint it publishes meanwhile, and the last to close drops it. The leader records, and remembers the
 * checkpoint it publishes (its sequence and the arrays of pages it changed), under {@code tracking}; the first
 * snapshot creates the lifetimes under the same lock and records in them that remembered checkpoint, whose states
 * may be changing in the table right now, so they hold every change after the durable checkpoint before it (which
 * was published before the leader started this one). Either the leader records a checkpoint or the first snapshot
 * does; a snapshot pins a durable checkpoint at or after the lifetimes' start. With no snapshot open a checkpoint
 * records only its {@link PageChanges} and remembers two references.
 *
 * <p><b>Thread safety:</b> every method from any thread. The held frees are guarded by {@code this}, taken by the
 * checkpoint leader after its flush and by the close of a snapshot when frees are waiting; never on a read. The
 * lifetimes are created and dropped under {@code tracking}, also taken by the leader once a checkpoint; a snapshot
 * that finds them held takes them without a lock.
 */
public final class SnapshotRegistry
{
    private final ExtentAllocator allocator;
    private final PageTable table;
    private final LiveCrcs liveCrcs;
    private final PageChanges changes;
    private final Object tracking = new Object();
    private final LongSupplier pruneBound = this::pruneBound;
    private final ConcurrentHashMap<Long, Pin> pins = new ConcurrentHashMap<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile Durable durable;
    private volatile long heldPages;
    // Null while no snapshot is open; written under tracking, read without it by snapshots that open.
    private volatile PageLifetimes lifetimes;
    // The checkpoint the leader published last: guarded by tracking.
    private long lastSequence;
    private long[] lastPages;
    private long[] lastFrees;
    private int[] lastFreeCrcs;

    /**
     * The durable checkpoint a snapshot pins: its sequence and roots.
     *
     * @param sequence the checkpoint's sequence.
     * @param roots    its root slots; never modified.
     */
    public record Durable(long sequence, long[] roots)
    {
    }

    /**
     * Creates the registry of an open store.
     *
     * @param allocator the allocator freed pages go back to.
     * @param table     the store's page table.
     * @param liveCrcs  the CRC32C of live pages.
     * @param changes   the last change of each group and chunk, for incremental backups.
     * @param sequence  the checkpoint the store opened at.
     * @param roots     its roots.
     */
    public SnapshotRegistry(final ExtentAllocator allocator, final PageTable table, final LiveCrcs liveCrcs,
        final PageChanges changes, final long sequence, final long[] roots)
    {
        this.allocator = allocator;
        this.table = table;
        this.liveCrcs = liveCrcs;
        this.changes = changes;
        this.lastSequence = sequence;
        this.durable = new Durable(sequence, roots.clone());
    }

    /**
     * {@return the last change of each group and chunk}
     */
    public PageChanges changes()
    {
        return changes;
    }

    /**
     * Holds the lifetimes of the pages changed while a snapshot is open, creating them if none is: call before
     * {@link #pin()}, whose checkpoint they then cover.
     *
     * @return the lifetimes; {@link #release(PageLifetimes)} them exactly once, after {@link #unpin(Pin)}.
     */
    public PageLifetimes hold()
    {
        // Volatile read: partner of the write under tracking below; a held one covers every durable checkpoint since.
        final PageLifetimes seen = lifetimes;
        if (null != seen && seen.tryHold())
        {
            return seen;
        }
        synchronized (tracking)
        {
            final PageLifetimes current = lifetimes;
            if (null != current && current.tryHold())
            {
                return current;
            }
            // The durable checkpoint is lastSequence - 1 or lastSequence (volatile read: partner of the write in
            // checkpointed, which follows lastSequence's state changes). If it is lastSequence - 1, lastSequence's
            // states may be changing in the table now: its changes are recorded here.
            final boolean publishing = durable.sequence() != lastSequence;
            final PageLifetimes created =
                new PageLifetimes(table, liveCrcs, publishing ? lastSequence - 1 : lastSequence);
            created.tryHold();
            if (publishing)
            {
                created.record(lastSequence, lastPages, lastFrees, lastFreeCrcs, pruneBound);
            }
            lifetimes = created;
            return created;
        }
    }

    /**
     * Lets go of lifetimes from {@link #hold()}; the last snapshot to let go drops them.
     *
     * @param held the lifetimes.
     */
    public void release(final PageLifetimes held)
    {
        if (held.release())
        {
            synchronized (tracking)
            {
                if (lifetimes == held)
                {
                    lifetimes = null;
                }
            }
        }
    }

    /**
     * {@return the lifetimes of the pages changed while a snapshot is open, or {@code null} if none is}
     */
    public PageLifetimes lifetimes()
    {
        return lifetimes;
    }

    /**
     * Pins the newest durable checkpoint: O(1), lock-free.
     *
     * @return the pin; {@link #unpin(Pin)} it exactly once.
     */
    public Pin pin()
    {
        while (true)
        {
            final Durable seen = durable;
            final Pin pin = pins.computeIfAbsent(seen.sequence(), sequence -> new Pin(seen));
            if (!pin.tryAcquire())
            {
                // Retired by its last holder meanwhile: it leaves the map, a fresh one takes its place.
                pins.remove(seen.sequence(), pin);
                continue;
            }
            // Volatile read after the pin's CAS: partner of checkpointed(), which writes durable before reading
            // the pins; if a newer checkpoint was published meanwhile, it may not have seen this pin.
            if (durable == seen)
            {
                return pin;
            }
            unpin(pin);
        }
    }

    /**
     * Releases a pin, and hands back to the allocator the frees no open snapshot needs any more.
     *
     * @param pin a pin from {@link #pin()}.
     */
    public void unpin(final Pin pin)
    {
        if (0 == pin.count.decrementAndGet() && pin.count.compareAndSet(0, Pin.RETIRED))
        {
            pins.remove(pin.sequence, pin);
        }
        if (0 != heldPages)
        {
            synchronized (this)
            {
                releaseHeld();
            }
        }
    }

    /**
     * Records what checkpoint {@code sequence} made live and freed, before it is published.
     *
     * @param sequence the checkpoint.
     * @param pages    the pages it made live.
     * @param frees    the pages it freed.
     * @param freeCrcs the CRC32C each freed page had, in the order of {@code frees}.
     */
    public void published(final long sequence, final long[] pages, final long[] frees, final int[] freeCrcs)
    {
        changes.record(sequence, pages, frees);
        synchronized (tracking)
        {
            // Under tracking: either a snapshot's hold() created the lifetimes before (seen here), or it runs after
            // and records this checkpoint itself from what is remembered here.
            final PageLifetimes current = lifetimes;
            if (null != current)
            {
                current.record(sequence, pages, frees, freeCrcs, pruneBound);
            }
            lastSequence = sequence;
            lastPages = pages;
            lastFrees = frees;
            lastFreeCrcs = freeCrcs;
        }
    }

    /**
     * Publishes checkpoint {@code sequence} to new snapshots, then hands its frees to the allocator, or holds them
     * while a snapshot pinned below {@code sequence} is open.
     *
     * @param sequence the checkpoint, durable.
     * @param roots    its roots; not modified afterwards.
     * @param frees    the pages it freed, ascending.
     */
    public void checkpointed(final long sequence, final long[] roots, final long[] frees)
    {
        // Volatile write before the pins are read (in releaseHeld): partner of the re-read in pin().
        durable = new Durable(sequence, roots);
        synchronized (this)
        {
            if (0 != frees.length)
            {
                held.addLast(new Held(sequence, Runs.of(frees), frees.length));
                heldPages += frees.length;
            }
            releaseHeld();
        }
    }

    /**
     * {@return the durable checkpoint new snapshots pin}
     */
    public Durable durable()
    {
        return durable;
    }

    /**
     * {@return the number of open snapshots}
     */
    public long openSnapshots()
    {
        long open = 0;
        for (final Pin pin : pins.values())
        {
            open += Math.max(0, pin.count.get());
        }
        return open;
    }

    /**
     * {@return the sequence of the oldest checkpoint an open snapshot pins, or -1 if none is open}
     */
    public long oldestPinned()
    {
        final long oldest = oldest();
        return Long.MAX_VALUE == oldest ? -1 : oldest;
    }

    /**
     * {@return the number of freed pages held back for open snapshots}
     */
    public long heldPages()
    {
        return heldPages;
    }

    /**
     * {@return a checkpoint at or below every snapshot open or to come}: called by the leader, before it publishes
     * the next checkpoint. A snapshot pinning now pins the durable checkpoint read here or a later one; one that
     * pinned before is seen in the pins (the same order as in {@link #pin()}).
     */
    private long pruneBound()
    {
        return Math.min(oldest(), durable.sequence());
    }

    private long oldest()
    {
        long oldest = Long.MAX_VALUE;
        for (final Pin pin : pins.values())
        {
            if (pin.count.get() > 0)
            {
                oldest = Math.min(oldest, pin.sequence);
            }
        }
        return oldest;
    }

    /**
     * Hands back the frees of checkpoints at or below the oldest pinned sequence; called holding {@code this}.
     */
    private void releaseHeld()
    {
        if (held.isEmpty())
        {
            return;
        }
        final long oldest = oldest();
        while (!held.isEmpty() && held.peekFirst().freedAt <= oldest)
        {
            final Held batch = held.removeFirst();
            heldPages -= batch.pages;
            // The allocator publishes the runs with a release CAS; their FREE states were set before.
            allocator.append(batch.runs);
        }
    }

    /**
     * The snapshots open at one checkpoint: a count, or {@link #RETIRED} once the last one closed (a retired pin
     * is never counted again, so a snapshot that finds one takes a fresh pin).
     */
    public static final class Pin
    {
        private static final int RETIRED = -1;

        private final long sequence;
        private final Durable durable;
        private final AtomicInteger count = new AtomicInteger();

        private Pin(final Durable durable)
        {
            this.sequence = durable.sequence();
            this.durable = durable;
        }

        /**
         * {@return the checkpoint this pin holds: its sequence and roots}
         */
        public Durable durable()
        {
            return durable;
        }

        private boolean tryAcquire()
        {
            int current = count.get();
            while (current >= 0)
            {
                if (count.compareAndSet(current, current + 1))
                {
                    return true;
                }
                current = count.get();
            }
            return false;
        }
    }

    private record Held(long freedAt, Runs runs, long pages)
    {
    }
}
