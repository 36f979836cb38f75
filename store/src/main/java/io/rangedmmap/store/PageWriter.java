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

import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.mmap.RangeWriter;
import io.rangedmmap.mmap.internal.PwriteBuffer;
import io.rangedmmap.store.internal.CallbackGuard;
import io.rangedmmap.store.internal.CheckpointCoordinator;
import io.rangedmmap.store.internal.Crc;
import io.rangedmmap.store.internal.Extent;
import io.rangedmmap.store.internal.Lifecycle;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.Runs;
import io.rangedmmap.store.internal.WriterCounts;

import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Allocates free pages of a {@link PageStore} and writes them, each once; from {@link PageStore#newWriter()}.
 *
 * <p>A writer claims extents of free pages from the store's shared pool (one short lock per extent) and hands pages
 * out from them with no lock and no contention (one compare-and-set on its own extent). When the store is full, a
 * writer that needs pages takes back the free pages other writers hold in their extents, each run by a
 * compare-and-set, whether those writers are busy or idle: no open writer keeps free space from the others. Only this
 * writer may write the pages it allocated, and each page is written once: to change data, write a new page and
 * {@link PageStore#free(long) free} the old one. Each write
 * returns a {@link PageReceipt}; pass receipts to {@link PageStore#checkpoint(java.util.Collection)} to make the
 * pages durable. A write reaches the page cache only: it survives a process crash, not a power loss, until its
 * checkpoint. The copying writes ({@code byte[]}, {@link ByteBuffer}) put the page there with {@code pwrite} through
 * the store file's descriptor, which costs no page fault; {@link #write(long, RangeWriter)} fills it in place in the
 * mapping. Reads see either at once: the mapping and the descriptor share the page cache.
 *
 * <p>An aborted transaction gives its pages back at once: {@link #discard(PageReceipt)} frees a page this writer
 * wrote that will never be checkpointed, {@link #discard(long)} one it allocated and did not write. Freed pages
 * merge with their free neighbours in the store's pool, so {@link #allocate(int)} finds any run of free pages the
 * store holds. {@link #close()} returns to the store the pages this writer claimed but never wrote. Pages written
 * and neither checkpointed nor discarded stay in flight ({@link StoreStats#writtenPages()}) until the store is
 * reopened, when they are free again.
 *
 * <p><b>Thread safety:</b> a writer is used by one thread at a time; use one writer per thread. This is enforced:
 * each call claims the writer for its thread on entry (one compare-and-set) and releases it on return, and a call
 * that finds the writer claimed throws before anything is allocated or written:
 * {@link ConcurrentModificationException} if another thread is inside it, {@link IllegalStateException} if the same
 * thread is (a call from inside this writer's own {@link RangeWriter}). A writer may be handed from one thread to
 * another between calls.
 */
public final class PageWriter implements AutoCloseable
{
    private static final VarHandle USER;

    static
    {
        try
        {
            USER = MethodHandles.lookup().findVarHandle(PageWriter.class, "user", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final PageStore store;
    private final int id;
    private final int allocatedWord;
    private final PageTable table;
    private final Extent extent = new Extent();
    private final Runs handedOut = new Runs();
    private final CRC32C crc = new CRC32C();
    private final Filler filler = new Filler();
    private final PwriteBuffer staging = new PwriteBuffer(PageStore.PAGE_SIZE);
    /**
     * This writer's share of the store's page counts ({@link PageStore#stats()}); its allocated count is also the
     * number of pages handed out and not yet written or discarded.
     */
    private final WriterCounts counts = new WriterCounts();
    private boolean closed;

    /**
     * The thread inside a call of this writer, or {@code null}; set by {@link #enter()}, cleared by {@link #exit()}.
     */
    private Thread user;

    PageWriter(final PageStore store, final int id)
    {
        this.store = store;
        this.id = id;
        this.allocatedWord = PageTable.allocatedBy(id);
        this.table = store.table();
        store.register(extent, counts);
    }

    /**
     * Allocates one free page for this writer.
     *
     * @return the page's id.
     * @throws StoreFullException    if no free page is left.
     * @throws IllegalStateException if this writer or the store is closed.
     * @throws StoreFailedException  if the store has failed.
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException if called from inside this writer's own {@link RangeWriter}.
     */
    public long allocate()
    {
        return allocate(1);
    }

    /**
     * Allocates {@code count} free pages with consecutive ids for this writer.
     *
     * @param count the number of pages.
     * @return the id of the first page; the pages are {@code [id, id + count)}.
     * @throws IllegalArgumentException if {@code count < 1} or {@code count > pageCount()}.
     * @throws StoreFullException       if the store holds no run of {@code count} free pages (in its pool and in
     *                                  the extents of all its writers together) and cannot grow to make one.
     * @throws IllegalStateException    if this writer or the store is closed.
     * @throws StoreFailedException     if the store has failed.
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException    if called from inside this writer's own {@link RangeWriter}.
     */
    public long allocate(final int count)
    {
        enter();
        try
        {
            return allocateRun(count);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Writes a page allocated by this writer.
     *
     * @param pageId the page.
     * @param data   exactly {@link PageStore#PAGE_SIZE} bytes.
     * @return the receipt, with the page's CRC32C, bound to this write of the page.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException  if {@code data.length != PAGE_SIZE}.
     * @throws IllegalStateException     if the page was already written.
     * @throws IllegalArgumentException  if the page is not allocated by this writer.
     * @throws IllegalStateException     if this writer or the store is closed.
     * @throws StoreFailedException      if the store has failed, or the write fails now (an I/O error, which
     *                                   fails it).
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException     if called from inside this writer's own {@link RangeWriter}.
     */
    public PageReceipt write(final long pageId, final byte[] data)
    {
        Objects.requireNonNull(data, "data");
        return copyIn(pageId, data, null);
    }

    /**
     * Writes a page allocated by this writer from the remaining bytes of {@code data}, advancing its position to its
     * limit.
     *
     * @param pageId the page.
     * @param data   a heap or direct buffer with exactly {@link PageStore#PAGE_SIZE} bytes remaining.
     * @return the receipt, with the page's CRC32C, bound to this write of the page.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException  if {@code data.remaining() != PAGE_SIZE}.
     * @throws IllegalStateException     if the page was already written.
     * @throws IllegalArgumentException  if the page is not allocated by this writer.
     * @throws IllegalStateException     if this writer or the store is closed.
     * @throws StoreFailedException      if the store has failed, or the write fails now (an I/O error, which
     *                                   fails it).
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException     if called from inside this writer's own {@link RangeWriter}.
     */
    public PageReceipt write(final long pageId, final ByteBuffer data)
    {
        Objects.requireNonNull(data, "data");
        return copyIn(pageId, null, data);
    }

    /**
     * Writes a page allocated by this writer in place: {@code writer} fills a view of the page's 4096 bytes in the
     * mapping, valid only until it returns; the CRC32C is taken when it returns. If {@code writer} throws, the page
     * stays allocated and unwritten, and may be written again. {@code writer} must not call this writer (it is
     * refused with {@link IllegalStateException}) nor close the store (refused likewise).
     *
     * @param pageId the page.
     * @param writer fills the view; bytes it leaves alone keep whatever the page held.
     * @return the receipt, with the page's CRC32C, bound to this write of the page.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalStateException     if the page was already written.
     * @throws IllegalArgumentException  if the page is not allocated by this writer.
     * @throws IllegalStateException     if this writer or the store is closed.
     * @throws StoreFailedException      if the store has failed, or the mapping faults now (which fails it).
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException     if called from inside this writer's own {@link RangeWriter}.
     */
    public PageReceipt write(final long pageId, final RangeWriter writer)
    {
        Objects.requireNonNull(writer, "writer");
        enter();
        try
        {
            final long page = checkWritable(pageId);
            filler.user = writer;
            try
            {
                store.file().writeAt(store.layout().dataOffset(page), PageStore.PAGE_SIZE, filler);
            }
            catch (final MappingFaultException ex)
            {
                throw store.lifecycle().fail(ex);
            }
            finally
            {
                filler.user = null;
            }
            return written(page, filler.checksum);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Discards a page this writer wrote and that will never be checkpointed (an aborted transaction): the page is
     * free again at once, for any writer, and {@code receipt} is spent:
     * {@link PageStore#checkpoint(java.util.Collection)} refuses it with {@link IllegalArgumentException}. Nothing
     * durable named the page, so nothing is written to the file. A receipt passed to a checkpoint call that has not
     * returned yet cannot be discarded (that call makes the page live); of a discard and a checkpoint call racing
     * for one receipt exactly one succeeds.
     *
     * <p>The page must not be read while it is discarded: once free it may be written by another writer at once.
     *
     * @param receipt the receipt of a write by this writer, in no checkpoint.
     * @throws NullPointerException     if {@code receipt} is {@code null}.
     * @throws IllegalArgumentException if {@code receipt} was issued by another store, by this file before a
     *                                  reopen, or by another writer.
     * @throws IllegalArgumentException if {@code receipt} is stale: already discarded, or its page was
     *                                  checkpointed and freed since.
     * @throws IllegalStateException    if its write is already in a completed checkpoint (the page is live: free it
     *                                  with {@link PageStore#free(long)}).
     * @throws IllegalStateException    if its write is in a checkpoint call in flight.
     * @throws IllegalStateException    if this writer or the store is closed.
     * @throws StoreFailedException     if the store has failed.
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException    if called from inside this writer's own {@link RangeWriter}.
     */
    public void discard(final PageReceipt receipt)
    {
        Objects.requireNonNull(receipt, "receipt");
        enter();
        try
        {
            checkOpen();
            final long page = checkIssuer(receipt);
            while (true)
            {
                final long current = store.currentWrite(page);
                final int word = CheckpointCoordinator.wordOf(current);
                checkDiscardable(receipt, word, CheckpointCoordinator.crcOf(current));
                if (store.discardWritten(page, word))
                {
                    break;
                }
                // A checkpoint published the page meanwhile: the next check says so.
            }
            // Uncounted before the pool's lock hands the page to another writer (see PageCounts).
            counts.discardedWrite();
            store.giveBack(page);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Discards a page this writer allocated and did not write: the page is free again at once, for any writer.
     *
     * @param pageId the page, allocated by this writer and not written.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException  if the page is allocated by another writer.
     * @throws IllegalStateException     if the page is not allocated: free (never allocated, or already
     *                                   discarded), written (discard its receipt), or live.
     * @throws IllegalStateException     if this writer or the store is closed.
     * @throws StoreFailedException      if the store has failed.
     * @throws ConcurrentModificationException if another thread is inside a call of this writer.
     * @throws IllegalStateException     if called from inside this writer's own {@link RangeWriter}.
     */
    public void discard(final long pageId)
    {
        enter();
        try
        {
            checkOpen();
            final long page = store.checkPageId(pageId);
            final int word = table.stateAcquire(page);
            if (allocatedWord != word)
            {
                throw notDiscardable(pageId, word);
            }
            // Only this writer changes the state of a page it allocated (the compare-and-set in unallocated keeps the
            // neighbour's half of the byte); the pool's lock orders it before the ALLOCATED state of the writer that
            // claims the page next.
            table.unallocated(page);
            // Uncounted before the pool's lock hands the page to another writer (see PageCounts).
            if (0 == counts.unallocated())
            {
                handedOut.clear();
            }
            store.giveBack(page);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Closes this writer and returns to the store the pages it claimed but did not write, allocated or not. Pages
     * it wrote are unaffected. Closing again, or after the store was closed, has no other effect.
     *
     * @throws ConcurrentModificationException if another thread is inside a call of this writer; it stays open.
     * @throws IllegalStateException           if called from inside this writer's own {@link RangeWriter}.
     */
    @Override
    public void close()
    {
        enter();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (Lifecycle.State.OPEN != store.lifecycle().state())
            {
                return;
            }
            final Runs free = new Runs();
            if (0 != counts.allocatedPlain())
            {
                for (int i = 0; i < handedOut.count(); i++)
                {
                    for (long page = handedOut.start(i); page < handedOut.end(i); page++)
                    {
                        if (allocatedWord == table.stateAcquire(page))
                        {
                            table.unallocated(page);
                            free.add(page, page + 1);
                        }
                    }
                }
            }
            // Uncounted before the pages go back to the pool; the written count is folded into the store's total in
            // the pool lock's hold that forgets this writer's counts.
            counts.unallocatedAll();
            store.unregister(extent, counts);
            store.giveBack(free);
            handedOut.clear();
            // No page carries this id any more: another writer may have it.
            store.releaseWriterId(id);
        }
        finally
        {
            exit();
        }
    }

    @Override
    public String toString()
    {
        return "PageWriter{store=" + store.path() + ", unwritten=" + counts.allocatedPlain() +
            (closed ? ", closed" : "") + "}";
    }

    /**
     * Runs the caller's in-place writer, then takes the CRC32C of the page while the view is still valid; reused so
     * that a zero-copy write allocates nothing but its receipt.
     */
    private final class Filler implements RangeWriter
    {
        private RangeWriter user;
        private int checksum;

        @Override
        public void write(final MutableDirectBuffer view)
        {
            final int[] depth = store.callbacks().enter();
            try
            {
                user.write(view);
            }
            finally
            {
                CallbackGuard.exit(depth);
            }
            checksum = Crc.of(crc, view);
        }
    }

    /**
     * Writes a page from {@code array}, or else from {@code buffer}: the two copying overloads in one place.
     */
    private PageReceipt copyIn(final long pageId, final byte[] array, final ByteBuffer buffer)
    {
        enter();
        try
        {
            final long page = checkWritable(pageId);
            final int checksum;
            if (null != array)
            {
                checkLength(array.length, "data.length");
                checksum = Crc.of(crc, array);
            }
            else
            {
                checkLength(buffer.remaining(), "data.remaining()");
                checksum = Crc.of(crc, buffer);
            }
            final long offset = store.layout().dataOffset(page);
            try
            {
                if (store.populated().contains(page))
                {
                    // Faulted in writable ahead of time (advise POPULATE_WRITE): a plain copy, which scales with
                    // threads where pwrite into one file does not.
                    mappedWrite(offset, array, buffer);
                }
                else if (null != array)
                {
                    // By pwrite, not through the mapping: a reused page was made clean by the checkpoint that flushed
                    // it, so a write through the mapping takes a write-protect fault (40-80 us on the 2-core VM), and
                    // a first write through each 4 KiB mapping entry costs ~7 us; a pwrite of a whole page dirties the
                    // page cache with neither (2 us), and the flush then writes back no page whose mapping entry must
                    // be write-protected again. Readers still read through the mapping: the page cache is shared.
                    // Measured in benchmarks/results/2026-11-30-issue14-pwrite-pages.
                    staging.write(store.file(), offset, array);
                }
                else
                {
                    staging.write(store.file(), offset, buffer);
                }
            }
            catch (final IOException ex)
            {
                // The page's bytes in the page cache are unknown now: the store fails, like after a mapping fault.
                throw store.lifecycle().fail(ex);
            }
            return written(page, checksum);
        }
        finally
        {
            exit();
        }
    }

    private void mappedWrite(final long offset, final byte[] array, final ByteBuffer buffer)
    {
        try
        {
            if (null != array)
            {
                store.file().writeAt(offset, array);
            }
            else
            {
                store.file().writeAt(offset, buffer);
            }
        }
        catch (final MappingFaultException ex)
        {
            throw store.lifecycle().fail(ex);
        }
    }

    private long allocateRun(final int count)
    {
        checkOpen();
        if (count < 1 || count > store.maxPages())
        {
            throw new IllegalArgumentException("count=" + count + " must be in [1, " + store.maxPages() + "]");
        }
        long first = extent.take(count);
        while (first < 0)
        {
            // The slow path: the shared pool (under its lock) refills this writer's extent, growing the store or
            // taking back the free pages other writers hold if it must. Another writer's steal may empty the extent
            // again before the take: then it refills again (the steal left the rest of what it took in the pool).
            final long want = Math.max(store.extentPages(), count);
            if (0 == store.claim(extent, count, want))
            {
                throw new StoreFullException("no run of count=" + count + " free pages is left in " + store.path() +
                    " (pageCount=" + store.pageCount() + ", maxPages=" + store.maxPages() + "; the free pages of " +
                    "every writer's extent were counted); free pages and checkpoint, or discard aborted writes");
            }
            first = extent.take(count);
        }
        table.allocated(first, count, allocatedWord);
        handedOut.add(first, first + count);
        counts.allocated(count);
        return first;
    }

    private PageReceipt written(final long page, final int checksum)
    {
        final int stamp = store.writeStamp();
        // Counted before the WRITTEN state is released: the checkpoint that publishes the page acquires that state
        // before it counts the page published (see WriterCounts.wrote).
        final long left = counts.wrote();
        // Releases: partner of the acquire loads in read and checkpoint; publishes the page's bytes, CRC and stamp.
        table.written(page, PageTable.writtenWith(stamp), checksum);
        if (0 == left)
        {
            handedOut.clear();
        }
        return new PageReceipt(this, page, checksum, stamp);
    }

    private long checkWritable(final long pageId)
    {
        checkOpen();
        final long page = store.checkPageId(pageId);
        final int word = table.stateAcquire(page);
        if (allocatedWord != word)
        {
            final int state = PageTable.stateOf(word);
            if (PageTable.WRITTEN == state || PageTable.LIVE == state || PageTable.FREEING == state)
            {
                throw new IllegalStateException("page=" + pageId + " of " + store.path() + " was already written; " +
                    "pages are written once: write a new page and free this one");
            }
            throw new IllegalArgumentException("page=" + pageId + " of " + store.path() + " is not allocated by " +
                "this writer (it is " + PageTable.nameOf(word) + "); write only pages this writer allocated");
        }
        return page;
    }

    /**
     * {@return the page of a receipt, after checking that this writer issued it}
     */
    private long checkIssuer(final PageReceipt receipt)
    {
        if (store != receipt.store())
        {
            throw new IllegalArgumentException("receipt for page=" + receipt.pageId() + " was issued by " +
                (store.path().equals(receipt.store().path()) ? "an earlier instance of " + store.path() +
                " (before a reopen)" : "another store, " + receipt.store().path()) + "; a writer discards only " +
                "its own receipts");
        }
        if (this != receipt.writer())
        {
            throw new IllegalArgumentException("receipt for page=" + receipt.pageId() + " of " + store.path() +
                " was issued by another writer; a writer discards only its own receipts");
        }
        return receipt.pageId();
    }

    /**
     * Throws unless {@code word}, a page's state, is the WRITTEN state of the write {@code receipt} proves.
     */
    private void checkDiscardable(final PageReceipt receipt, final int word, final int crc)
    {
        final long pageId = receipt.pageId();
        final int state = PageTable.stateOf(word);
        if (!PageTable.holdsWrite(word, receipt.stamp()) || crc != receipt.crc32c())
        {
            throw new IllegalArgumentException("receipt for page=" + pageId + " of " + store.path() + " is stale: " +
                "its write was already discarded, or checkpointed and freed since (the page is now " +
                PageTable.nameOf(word) + "); discard only receipts of writes neither checkpointed nor discarded");
        }
        if (PageTable.WRITTEN != state)
        {
            throw new IllegalStateException("page=" + pageId + " of " + store.path() + " cannot be discarded: it is " +
                PageTable.nameOf(word) + ", its receipt is in a completed checkpoint; free it with PageStore.free");
        }
    }

    private RuntimeException notDiscardable(final long pageId, final int word)
    {
        final String name = PageTable.nameOf(word);
        return switch (PageTable.stateOf(word))
        {
            case PageTable.ALLOCATED -> new IllegalArgumentException("page=" + pageId + " of " + store.path() +
                " cannot be discarded by this writer: it is " + name + ", allocated by another writer; a writer " +
                "discards only pages it allocated");
            case PageTable.WRITTEN -> new IllegalStateException("page=" + pageId + " of " + store.path() + " cannot " +
                "be discarded by id: it is " + name + "; discard its receipt with discard(PageReceipt)");
            case PageTable.FREE -> new IllegalStateException("page=" + pageId + " of " + store.path() + " cannot " +
                "be discarded: it is " + name + ", not allocated (never allocated, or already discarded)");
            default -> new IllegalStateException("page=" + pageId + " of " + store.path() + " cannot be " +
                "discarded: it is " + name + ", durable in a completed checkpoint; free it with PageStore.free");
        };
    }

    PageStore store()
    {
        return store;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("writer of " + store.path() + " is closed");
        }
        store.lifecycle().checkOpen();
    }

    /**
     * Claims this writer for the current thread, before the call touches anything.
     *
     * <p>One compare-and-set, a few nanoseconds uncontended. Its volatile semantics also make a writer handed from
     * one thread to another see its own fields: it acquires the release in {@link #exit()} of the last call.
     */
    private void enter()
    {
        final Thread current = Thread.currentThread();
        if (!USER.compareAndSet(this, null, current))
        {
            throw busy(current);
        }
    }

    private void exit()
    {
        // Release: partner of the compare-and-set in enter() of the next call, on whichever thread makes it.
        USER.setRelease(this, null);
    }

    private RuntimeException busy(final Thread current)
    {
        final Thread other = (Thread)USER.getAcquire(this);
        if (current == other)
        {
            return new IllegalStateException("writer of " + store.path() + " was called from inside its own " +
                "RangeWriter; finish the in-place write first");
        }
        return new ConcurrentModificationException("writer of " + store.path() + " is in use by thread " +
            (null == other ? "(just released)" : other.getName()) + " while " + current.getName() + " calls it; " +
            "a writer is used by one thread at a time: use one writer per thread");
    }

    private static void checkLength(final int length, final String name)
    {
        if (PageStore.PAGE_SIZE != length)
        {
            throw new IllegalArgumentException(name + "=" + length + " must equal PAGE_SIZE=" + PageStore.PAGE_SIZE);
        }
    }
}
