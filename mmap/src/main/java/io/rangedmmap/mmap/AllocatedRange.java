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
package io.rangedmmap.mmap;

import io.rangedmmap.mmap.internal.MappedRegion;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A range {@code [start, end)} of one file, handed out by that file's {@link RangeAllocator}: the only way to write
 * through {@link MmapFile}.
 *
 * <p>A range is a token, not a value: it cannot be constructed outside this package, it is bound to the mapping
 * whose allocator issued it (using it on another file, or on the same file after it was closed and reopened,
 * throws {@link IllegalArgumentException}), and ranges from one allocator never overlap. Splitting a range retires
 * it in favour of its two halves, so no two live ranges ever cover the same byte.
 *
 * <p>The range also enforces one writer at a time at run time: a write while another thread writes or reads the
 * same range, or a read while it is written, throws {@link IllegalStateException}. Any number of reads may run at
 * once. Writing a range again later, from any thread, is allowed.
 *
 * <p><b>Thread safety:</b> safe to pass between threads; the checks above are atomic.
 */
public final class AllocatedRange
{
    private static final int IDLE = 0;
    private static final int WRITING = -1;
    private static final int RETIRED = Integer.MIN_VALUE;
    private static final byte[] EMPTY = new byte[0];
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(AllocatedRange.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * Two non-empty halves of a split range: {@code low} ends where {@code high} starts.
     *
     * @param low  the half {@code [start, start + offset)}.
     * @param high the half {@code [start + offset, end)}.
     */
    public record Split(AllocatedRange low, AllocatedRange high)
    {
    }

    final MappedRegion region;
    private final long start;
    private final long end;

    /**
     * {@code IDLE}, {@code WRITING}, a positive count of readers, or {@code RETIRED}; changed by CAS only.
     */
    @SuppressWarnings("unused")
    private int state;

    /**
     * Reused view for zero-copy writes: safe to reuse because the range admits one writer at a time.
     */
    private UnsafeBuffer writeView;

    /**
     * The receipt of this range's writes: immutable and naming only the range, so every completed write of the range
     * can hand out the same one instead of allocating.
     */
    private final WriteReceipt receipt = new WriteReceipt(this);

    AllocatedRange(final MappedRegion region, final long start, final long end)
    {
        this.region = region;
        this.start = start;
        this.end = end;
    }

    /**
     * {@return the offset of the first byte of the range in the file; a multiple of 4096}
     */
    public long start()
    {
        return start;
    }

    /**
     * {@return the offset one past the last byte of the range}
     */
    public long end()
    {
        return end;
    }

    /**
     * {@return the number of bytes in the range, {@code end() - start()}}
     */
    public long length()
    {
        return end - start;
    }

    /**
     * Splits this range into {@code [start, start + offset)} and {@code [start + offset, end)} and retires it:
     * afterwards only the halves may be written, read or split.
     *
     * @param offset bytes from {@link #start()}, a multiple of 4096 with {@code 0 < offset < length()}.
     * @return the two non-empty halves.
     * @throws IllegalArgumentException if {@code offset} is not a multiple of 4096 or would leave a half empty.
     * @throws IllegalStateException    if the range is being written or read, or was already split.
     */
    public Split splitAt(final long offset)
    {
        if (offset <= 0 || offset >= length() || 0 != (offset & (Alignment.ALIGNMENT - 1)))
        {
            throw new IllegalArgumentException("offset=" + offset + " must be a multiple of " + Alignment.ALIGNMENT +
                " in (0, " + length() + ") to split range " + this + " into two non-empty halves");
        }
        final int witness = (int)STATE.compareAndExchange(this, IDLE, RETIRED);
        if (IDLE != witness)
        {
            throw conflict("split", witness);
        }
        return new Split(new AllocatedRange(region, start, start + offset), new AllocatedRange(region, start + offset,
            end));
    }

    /**
     * Splits at {@code offset} rounded up to a multiple of 4096; see {@link #splitAt(long)}.
     *
     * @param offset bytes from {@link #start()}, {@code >= 0}.
     * @return the two non-empty halves.
     * @throws IllegalArgumentException if {@code offset < 0} or the rounded offset would leave a half empty.
     * @throws IllegalStateException    if the range is being written or read, or was already split.
     */
    public Split splitAtAlignUp(final long offset)
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("offset=" + offset + " must be >= 0 to split range " + this);
        }
        return splitAt(Alignment.alignUp(Math.min(offset, length())));
    }

    /**
     * Splits at {@code offset} rounded down to a multiple of 4096; see {@link #splitAt(long)}.
     *
     * @param offset bytes from {@link #start()}, {@code >= 0}.
     * @return the two non-empty halves.
     * @throws IllegalArgumentException if {@code offset < 0} or the rounded offset would leave a half empty.
     * @throws IllegalStateException    if the range is being written or read, or was already split.
     */
    public Split splitAtAlignDown(final long offset)
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("offset=" + offset + " must be >= 0 to split range " + this);
        }
        return splitAt(Alignment.alignDown(offset));
    }

    /**
     * {@return whether this range was split, so only its halves may be used}
     */
    public boolean isRetired()
    {
        return RETIRED == (int)STATE.getAcquire(this);
    }

    void beginWrite()
    {
        // Acquire on success: pairs with the release in endWrite/endRead of the previous user of the range. The
        // witness, not a later re-read, names the conflict: the other user may be gone by the time we report it.
        final int witness = (int)STATE.compareAndExchange(this, IDLE, WRITING);
        if (IDLE != witness)
        {
            throw conflict("write", witness);
        }
    }

    void endWrite()
    {
        // Release: the bytes written happen-before the next user that acquires the range.
        STATE.setRelease(this, IDLE);
    }

    void beginRead()
    {
        int current;
        do
        {
            current = (int)STATE.getAcquire(this);
            if (current < 0)
            {
                throw conflict("read", current);
            }
        }
        while (!STATE.compareAndSet(this, current, current + 1));
    }

    void endRead()
    {
        STATE.getAndAdd(this, -1);
    }

    WriteReceipt receipt()
    {
        return receipt;
    }

    UnsafeBuffer writeView()
    {
        UnsafeBuffer view = writeView;
        if (null == view)
        {
            view = new UnsafeBuffer(EMPTY);
            writeView = view;
        }
        return view;
    }

    private IllegalStateException conflict(final String operation, final int current)
    {
        final String why = RETIRED == current ? "was split; use its halves" :
            WRITING == current ? "is being written by another thread" :
            "is being read by " + current + " reader(s)";
        return new IllegalStateException("cannot " + operation + " range " + this + ": it " + why);
    }

    @Override
    public String toString()
    {
        return "[" + start + ", " + end + ") of " + region.path();
    }
}
