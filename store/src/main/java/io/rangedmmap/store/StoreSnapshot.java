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

import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.store.internal.PageLifetimes;
import io.rangedmmap.store.internal.SnapshotRegistry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A stable, read-only view of one durable checkpoint of a {@link PageStore}, from {@link PageStore#snapshot()}: every
 * page live in that checkpoint reads with its bytes of that moment, and {@link #root(int)} gives that checkpoint's
 * roots, while writers, frees and later checkpoints go on, as an LMDB read transaction does.
 *
 * <p><b>Cost of keeping it open.</b> Writers and checkpoints never wait for a snapshot; instead the space of every
 * page live in its checkpoint and freed since is not reused until the snapshot is closed. A snapshot left open
 * therefore makes the store fill up with freed pages it cannot reuse, until writers get {@link StoreFullException}
 * (LMDB's stale-reader trap; the file cannot grow here). {@link PageStore#stats()} shows the open snapshots, the
 * oldest pinned checkpoint and the freed pages waiting for it: close snapshots promptly, with try-with-resources.
 *
 * <p><b>Thread safety:</b> a snapshot may be read by any number of threads at once, with no lock on the read path;
 * opening one is O(1) and lock-free. {@link #close()} may be called from any thread, once or more, but only once the
 * reads of this snapshot have returned: a read racing with the close of its own snapshot may find the page reused
 * (and throw {@link CorruptPageException}). After the store is closed every call but {@code close} and
 * {@code sequence} throws {@link IllegalStateException}, and never touches the unmapped file.
 */
public final class StoreSnapshot implements AutoCloseable
{
    private static final VarHandle CLOSED;

    static
    {
        try
        {
            CLOSED = MethodHandles.lookup().findVarHandle(StoreSnapshot.class, "closed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final PageStore store;
    private final SnapshotRegistry registry;
    private final SnapshotRegistry.Pin pin;
    private final PageLifetimes lifetimes;
    private final long sequence;
    private final long[] roots;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;

    StoreSnapshot(final PageStore store, final SnapshotRegistry registry)
    {
        this.store = store;
        this.registry = registry;
        // Held before the pin: they record every checkpoint after their start, at or below the one pinned.
        this.lifetimes = registry.hold();
        this.pin = registry.pin();
        this.sequence = pin.durable().sequence();
        this.roots = pin.durable().roots();
        if (sequence < lifetimes.from())
        {
            registry.unpin(pin);
            registry.release(lifetimes);
            throw new IllegalStateException("snapshot of " + store.path() + " pinned checkpoint " + sequence +
                ", before checkpoint " + lifetimes.from() + " from which its page lifetimes are recorded");
        }
    }

    /**
     * {@return the lifetimes this snapshot reads, which hold the changes since its checkpoint}
     */
    PageLifetimes lifetimes()
    {
        return lifetimes;
    }

    /**
     * {@return the sequence of the checkpoint this snapshot pins}
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * Reads a root slot of the pinned checkpoint.
     *
     * @param slot the slot, in {@code [0, PageStore.ROOT_SLOTS)}.
     * @return its value in that checkpoint.
     * @throws IndexOutOfBoundsException if {@code slot} is not in {@code [0, PageStore.ROOT_SLOTS)}.
     * @throws IllegalStateException     if the snapshot or the store is closed.
     * @throws StoreFailedException      if the store has failed.
     */
    public long root(final int slot)
    {
        checkOpen();
        Objects.checkIndex(slot, roots.length);
        return roots[slot];
    }

    /**
     * Reads a page of the pinned checkpoint into {@code dst} and checks it against its CRC32C.
     *
     * @param pageId the page, live in the pinned checkpoint.
     * @param dst    exactly {@link PageStore#PAGE_SIZE} bytes; on a corrupt page it holds the bytes read.
     * @throws IndexOutOfBoundsException   if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException    if {@code dst.length != PAGE_SIZE}.
     * @throws PageNotInSnapshotException  if the page was not live in the pinned checkpoint.
     * @throws CorruptPageException        if the bytes do not match the page's CRC32C.
     * @throws IllegalStateException       if the snapshot or the store is closed.
     * @throws StoreFailedException        if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final byte[] dst)
    {
        Objects.requireNonNull(dst, "dst");
        PageReads.checkLength(dst.length, "dst.length");
        checkOpen();
        PageReads.readLiveAt(store, lifetimes, sequence, store.checkPageId(pageId), dst, null, null);
    }

    /**
     * Reads a page of the pinned checkpoint into the remaining bytes of {@code dst}, advancing its position by
     * {@link PageStore#PAGE_SIZE}, and checks it against its CRC32C.
     *
     * @param pageId the page, live in the pinned checkpoint.
     * @param dst    a heap or direct buffer with exactly {@link PageStore#PAGE_SIZE} bytes remaining.
     * @throws IndexOutOfBoundsException   if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException    if {@code dst.remaining() != PAGE_SIZE}.
     * @throws IllegalArgumentException    if {@code dst} is read-only.
     * @throws PageNotInSnapshotException  if the page was not live in the pinned checkpoint.
     * @throws CorruptPageException        if the bytes do not match the page's CRC32C.
     * @throws IllegalStateException       if the snapshot or the store is closed.
     * @throws StoreFailedException        if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final ByteBuffer dst)
    {
        Objects.requireNonNull(dst, "dst");
        PageReads.checkLength(dst.remaining(), "dst.remaining()");
        checkOpen();
        PageReads.readLiveAt(store, lifetimes, sequence, store.checkPageId(pageId), null, dst, null);
    }

    /**
     * Reads a page of the pinned checkpoint in place: checks it against its CRC32C, then passes {@code reader} a
     * view of its 4096 bytes in the mapping, valid only until {@code reader} returns. {@code reader} must not close
     * the store (refused with {@link IllegalStateException}).
     *
     * @param pageId the page, live in the pinned checkpoint.
     * @param reader reads the view.
     * @throws IndexOutOfBoundsException   if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws PageNotInSnapshotException  if the page was not live in the pinned checkpoint.
     * @throws CorruptPageException        if the bytes do not match the page's CRC32C; {@code reader} is not called.
     * @throws IllegalStateException       if the snapshot or the store is closed.
     * @throws StoreFailedException        if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final RangeReader reader)
    {
        Objects.requireNonNull(reader, "reader");
        checkOpen();
        PageReads.readLiveAt(store, lifetimes, sequence, store.checkPageId(pageId), null, null, reader);
    }

    /**
     * {@return whether a page was live in the pinned checkpoint}
     *
     * @param pageId the page.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalStateException     if the snapshot or the store is closed.
     * @throws StoreFailedException      if the store has failed.
     */
    public boolean isLive(final long pageId)
    {
        checkOpen();
        return lifetimes.liveAt(store.checkPageId(pageId), sequence);
    }

    /**
     * Closes the snapshot: the freed pages only it held back become reusable. Closing again, or after the store was
     * closed, has no effect beyond that.
     */
    @Override
    public void close()
    {
        if (CLOSED.compareAndSet(this, false, true))
        {
            registry.unpin(pin);
            registry.release(lifetimes);
        }
    }

    @Override
    public String toString()
    {
        return "StoreSnapshot{" + store.path() + ", sequence=" + sequence + ", closed=" + closed + "}";
    }

    private void checkOpen()
    {
        // Volatile read: partner of the CAS in close.
        if (closed)
        {
            throw new IllegalStateException("snapshot of " + store.path() + " at checkpoint " + sequence +
                " is closed");
        }
        store.lifecycle().checkOpen();
    }
}
