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
 * <p><b>Thread safety:</b> every method from any thread. The held frees are guarded by {@code this}, taken by the
 * checkpoint leader after its flush and by the close of a snapshot when frees are waiting; never on a read.
 */
public final class SnapshotRegistry
{
    private final ExtentAllocator allocator;
    private final PageLifetimes lifetimes;
    private final ConcurrentHashMap<Long, Pin> pins = new ConcurrentHashMap<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile Durable durable;
    private volatile long heldPages;

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
     * @param lifetimes when each page became live and was freed.
     * @param sequence  the checkpoint the store opened at.
     * @param roots     its roots.
     */
    public SnapshotRegistry(final ExtentAllocator allocator, final PageLifetimes lifetimes, final long sequence,
        final long[] roots)
    {
        this.allocator = allocator;
        this.lifetimes = lifetimes;
        this.durable = new Durable(sequence, roots.clone());
    }

    /**
     * {@return when each page became live and was freed}
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
     */
    public void published(final long sequence, final long[] pages, final long[] frees)
    {
        for (final long page : pages)
        {
            lifetimes.madeLive(page, sequence);
        }
        for (final long page : frees)
        {
            lifetimes.freed(page, sequence);
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
