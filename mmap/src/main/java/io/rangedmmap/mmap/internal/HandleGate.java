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
package io.rangedmmap.mmap.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the accesses in flight on one handle so that {@code close} can wait for them before the mapping may be
 * unmapped; an access that starts after {@code close} began is refused.
 *
 * <p>The count is striped over padded cells, so threads writing through the same handle do not all bump one shared
 * counter (one cache line bouncing between every core). A thread's cell comes from a probe assigned round-robin
 * when the thread first enters any gate (like {@code LongAdder}'s per-thread probe, but handed out in turn rather
 * than hashed): with at least as many cells as threads in use, no two threads share a cell or a cache line, where
 * hashing thread ids into 4 cells put two threads on one cell one time in four. {@link #enter()} and
 * {@link #exit(int)} are one atomic add each.
 *
 * <p><b>Thread safety:</b> {@code enter}/{@code exit} from any threads; {@code close} from any thread, not from
 * inside an access on this handle (it would wait for itself).
 */
public final class HandleGate
{
    /**
     * Longs per cell: 128 bytes keeps two cells off one cache line and off the adjacent-line prefetch pair.
     */
    private static final int PAD = 16;

    /**
     * The next probe to hand out; threads take consecutive probes, so the first {@code cells} threads get distinct
     * cells of every gate.
     */
    private static final AtomicInteger NEXT_PROBE = new AtomicInteger();
    private static final ThreadLocal<Probe> PROBE =
        ThreadLocal.withInitial(() -> new Probe(NEXT_PROBE.getAndIncrement()));

    private final AtomicLongArray cells;
    private final int mask;
    private final String name;

    /**
     * Written once by {@link #close()}; volatile because enter/close form a Dekker pair: enter adds to its cell
     * then reads {@code closed}, close writes {@code closed} then reads every cell. Both sides are sequentially
     * consistent, so either the access sees {@code closed} or close sees the access.
     */
    private volatile boolean closed;

    /**
     * Creates an open gate sized for this machine's processors.
     *
     * @param name what the gate guards, for messages, such as the file's path.
     */
    public HandleGate(final String name)
    {
        this.name = name;
        final int stripes = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        mask = stripes - 1;
        // One spare cell of padding before the first keeps the array header's line out of cell 0.
        cells = new AtomicLongArray((stripes + 1) * PAD);
    }

    /**
     * Starts an access.
     *
     * @return the cell to pass to {@link #exit(int)}.
     * @throws IllegalStateException if the handle is closed or closing; nothing is left counted.
     */
    public int enter()
    {
        final int cell = cellOfCurrentThread();
        // Full-fence add, partner of the closed-write-then-scan in close().
        cells.getAndIncrement(cell);
        if (closed)
        {
            cells.getAndDecrement(cell);
            throw new IllegalStateException("handle on " + name + " is closed");
        }
        return cell;
    }

    /**
     * Ends an access started by {@link #enter()}.
     *
     * @param cell what {@code enter} returned.
     */
    public void exit(final int cell)
    {
        // Release semantics (and more): the access's stores happen-before close() seeing the cell drop.
        cells.getAndDecrement(cell);
    }

    /**
     * {@return whether {@link #close()} has begun}
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Refuses new accesses and waits for those in flight to end.
     *
     * @return {@code true} if this call closed the gate, {@code false} if it was already closed.
     */
    public boolean close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return false;
            }
            closed = true;
        }
        int spins = 0;
        while (0 != inFlight())
        {
            if (++spins < 1_000)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
        }
        return true;
    }

    private long inFlight()
    {
        long sum = 0;
        for (int i = 1; i <= mask + 1; i++)
        {
            sum += cells.get(i * PAD);
        }
        return sum;
    }

    private int cellOfCurrentThread()
    {
        return ((PROBE.get().value & mask) + 1) * PAD;
    }

    /**
     * A thread's probe, fixed for its life.
     */
    private static final class Probe
    {
        final int value;

        Probe(final int value)
        {
            this.value = value;
        }
    }
}
