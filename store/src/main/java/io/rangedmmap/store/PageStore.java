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

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.Checkpointer;
import io.rangedmmap.store.internal.Crc;
import io.rangedmmap.store.internal.ExtentAllocator;
import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.Lifecycle;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.Recovery;
import io.rangedmmap.store.internal.Runs;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.StoreVerifier;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.collections.LongArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * A crash-safe store of fixed 4 KiB pages in one memory-mapped file, written by many {@link PageWriter}s at once and
 * made durable by atomic, receipt-gated checkpoints.
 *
 * <p><b>Model.</b> Writers from {@link #newWriter()} allocate free pages and write each page once, getting a
 * {@link PageReceipt}. {@link #checkpoint(Collection)} makes exactly the pages of the given receipts durable, together
 * with the frees staged by {@link #free(long)} and the root slots set by {@link #setRoot(int, long)}, atomically:
 * after a crash at any instant, {@link #open(Path)} yields that checkpoint entirely or the previous one entirely.
 * Pages written but not checkpointed are free again after a reopen. To change data, write a new page and free the
 * old one (copy-on-write).
 *
 * <p><b>Durability.</b> When {@code checkpoint} returns, its pages, frees, roots and checksums are on disk. Nothing
 * else is: writes reach the page cache only, and {@link #close()} does <em>not</em> checkpoint.
 *
 * <p><b>Failure.</b> The first flush error or mapping fault fails the store: every later call throws
 * {@link StoreFailedException} with that first error as its cause, and a failed flush is never retried. Close the
 * store and open it again to recover the last durable checkpoint.
 *
 * <p><b>Thread safety:</b> a store may be used by any number of threads at once. Each {@link PageWriter} is used by
 * one thread at a time. Checkpoints run one at a time (a second waits for the first) and writers never wait for
 * them. {@code close} waits for a running checkpoint and for the accesses in flight.
 */
public final class PageStore implements AutoCloseable
{
    /**
     * The size of a page in bytes.
     */
    public static final int PAGE_SIZE = StoreLayout.PAGE_SIZE;

    /**
     * The number of root slots.
     */
    public static final int ROOT_SLOTS = SuperblockDescriptor.ROOT_SLOTS;

    private static final Logger LOG = LoggerFactory.getLogger(PageStore.class);

    private final Path path;
    private final RawMmapFile file;
    private final StoreLayout layout;
    private final PageTable table;
    private final ExtentAllocator allocator;
    private final Checkpointer checkpointer;
    private final Lifecycle lifecycle;
    private final StoreOptions options;
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final LongArrayList stagedFrees = new LongArrayList();
    private final AtomicLongArray roots = new AtomicLongArray(ROOT_SLOTS);
    private final AtomicInteger writerIds = new AtomicInteger();
    private volatile long lastCheckpoint;
    private long livePages;

    private PageStore(final Path path, final RawMmapFile file, final Recovery recovery, final StoreOptions options,
        final StoreIo io)
    {
        this.path = path;
        this.file = file;
        this.layout = recovery.layout();
        this.table = recovery.table();
        this.allocator = new ExtentAllocator(recovery.free());
        this.checkpointer = new Checkpointer(file, io, layout, table, recovery.staleTablePages());
        this.lifecycle = new Lifecycle(path.toString());
        this.options = options;
        this.lastCheckpoint = recovery.superblock().sequence();
        this.livePages = recovery.superblock().livePages();
        for (int i = 0; i < ROOT_SLOTS; i++)
        {
            roots.set(i, recovery.superblock().roots()[i]);
        }
    }

    /**
     * Creates a store with room for {@code pageCount} user pages and default options, and opens it. See
     * {@link #create(Path, long, StoreOptions)}.
     *
     * @param path      the file to create.
     * @param pageCount the number of user pages.
     * @return the open store, at checkpoint 0 with no live page.
     * @throws IllegalArgumentException                 if {@code pageCount < 1} or above 2^31 - 1025.
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists; it is left untouched.
     * @throws io.rangedmmap.mmap.NativeCallException   if the blocks cannot be reserved (disk full).
     * @throws IOException                              on any other I/O error; no file is left behind.
     */
    public static PageStore create(final Path path, final long pageCount) throws IOException
    {
        return create(path, pageCount, StoreOptions.defaults());
    }

    /**
     * Creates a store with room for {@code pageCount} user pages, and opens it. The file holds the user pages plus
     * two superblocks and two copies of the metadata table (8 bytes per user page each); its blocks are reserved
     * (no sparse file). It is built under a unique temporary name ({@code path + ".tmp-creating-<random>"}), locked
     * from the start, flushed, linked to {@code path} only if that name is still absent, and its directory fsynced:
     * when this returns, the empty store is durable. Of two creates racing on one path, one succeeds and the other
     * throws {@link java.nio.file.FileAlreadyExistsException}; a create never deletes a file it did not create, and
     * removes the temporary files that creates of the same path left behind when they crashed.
     *
     * @param path      the file to create.
     * @param pageCount the number of user pages.
     * @param options   the options.
     * @return the open store, at checkpoint 0 with no live page.
     * @throws IllegalArgumentException                 if {@code pageCount < 1} or above 2^31 - 1025.
     * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists; it is left untouched.
     * @throws io.rangedmmap.mmap.NativeCallException   if the blocks cannot be reserved (disk full).
     * @throws IOException                              on any other I/O error; no file is left behind.
     */
    public static PageStore create(final Path path, final long pageCount, final StoreOptions options)
        throws IOException
    {
        return create(path, pageCount, options, StoreIo.DIRECT);
    }

    static PageStore create(final Path path, final long pageCount, final StoreOptions options, final StoreIo io)
        throws IOException
    {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        StoreLayout.checkPageCount(pageCount);
        Formatter.format(path, pageCount, io);
        return open(path, options, io);
    }

    /**
     * Opens a store with default options. See {@link #open(Path, StoreOptions)}.
     *
     * @param path the store file.
     * @return the open store, at its last durable checkpoint.
     * @throws java.nio.file.NoSuchFileException        if the file does not exist.
     * @throws io.rangedmmap.mmap.FileLockedException   if the store is open in this or another process.
     * @throws IncompatibleStoreException               if the file is not a store, is of a newer format, has a
     *                                                  size its superblock does not imply, or damaged metadata.
     * @throws IOException                              on any other I/O error.
     */
    public static PageStore open(final Path path) throws IOException
    {
        return open(path, StoreOptions.defaults());
    }

    /**
     * Opens a store at its last durable checkpoint and holds an exclusive lock on it until {@link #close()}.
     *
     * <p>The file is validated before anything is written to it, and a file that is refused is left exactly as it
     * was: the superblocks (magic, format version, page size, CRC32C, the newest valid one is taken), the file's
     * size against the superblock, and every page of the current metadata table (its CRC32C, index and sequence).
     * User pages are not read: {@link #verify()} checks them, and {@code read} checks each page it reads.
     *
     * @param path    the store file.
     * @param options the options.
     * @return the open store, at its last durable checkpoint.
     * @throws java.nio.file.NoSuchFileException        if the file does not exist.
     * @throws io.rangedmmap.mmap.FileLockedException   if the store is open in this or another process.
     * @throws IncompatibleStoreException               if the file is not a store, is of a newer format, has a
     *                                                  size its superblock does not imply, or damaged metadata.
     * @throws IOException                              on any other I/O error.
     */
    public static PageStore open(final Path path, final StoreOptions options) throws IOException
    {
        return open(path, options, StoreIo.DIRECT);
    }

    /**
     * Opens a store whose durability steps go through {@code io}: the seam tests use to record, reorder-check or fail
     * them. Not API.
     */
    static PageStore open(final Path path, final StoreOptions options, final StoreIo io) throws IOException
    {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        final Path absolute = path.toAbsolutePath();
        final long size = Files.size(absolute);
        if (size < (long)StoreLayout.SUPERBLOCK_SLOTS * PAGE_SIZE)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.NOT_A_STORE,
                absolute + " is not a page store: size=" + size + " is below the two superblocks' " +
                StoreLayout.SUPERBLOCK_SLOTS * PAGE_SIZE + " bytes");
        }
        final RawMmapFile file = RawMmapFile.open(absolute);
        try
        {
            final PageStore store = new PageStore(absolute, file, Recovery.recover(file, absolute), options, io);
            LOG.info("opened page store {} pageCount={} livePages={} checkpoint={}", absolute,
                store.layout.pageCount(), store.livePages, store.lastCheckpoint);
            return store;
        }
        catch (final RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * Creates a writer, which claims free pages from this store and writes them.
     *
     * @return a new writer; close it to return the pages it did not use.
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed.
     */
    public PageWriter newWriter()
    {
        lifecycle.checkOpen();
        return new PageWriter(this, writerIds.incrementAndGet());
    }

    /**
     * Stages the free of a live page: the next checkpoint records it as free, and the page is handed out again only
     * once that checkpoint is durable. The page stays readable until then.
     *
     * @param pageId the page, live in a completed checkpoint.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalStateException     if the page is not live: free, allocated, written but not checkpointed, or
     *                                   already freed.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed.
     */
    public void free(final long pageId)
    {
        lifecycle.checkOpen();
        final int page = checkPageId(pageId);
        if (!table.compareAndSetState(page, PageTable.LIVE, PageTable.FREEING))
        {
            final int word = table.stateAcquire(page);
            throw new IllegalStateException("page=" + pageId + " of " + path + " cannot be freed: it is " +
                PageTable.nameOf(word) + (PageTable.FREEING == word ? " (already freed)" : "") +
                "; only pages live in a completed checkpoint can be freed");
        }
        synchronized (stagedFrees)
        {
            stagedFrees.addLong(pageId);
        }
    }

    /**
     * Sets a root slot, a user word recorded atomically with the next checkpoint (how a structure on top publishes
     * its new root). {@link #root(int)} returns the new value at once; it is durable when the next checkpoint
     * returns.
     *
     * @param slot  the slot, in {@code [0, ROOT_SLOTS)}.
     * @param value the value.
     * @throws IndexOutOfBoundsException if {@code slot} is not in {@code [0, ROOT_SLOTS)}.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed.
     */
    public void setRoot(final int slot, final long value)
    {
        lifecycle.checkOpen();
        roots.set(checkSlot(slot), value);
    }

    /**
     * Reads a root slot: the value last set, or after an open the value of the last durable checkpoint (0 for a slot
     * never set).
     *
     * @param slot the slot, in {@code [0, ROOT_SLOTS)}.
     * @return its value.
     * @throws IndexOutOfBoundsException if {@code slot} is not in {@code [0, ROOT_SLOTS)}.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed.
     */
    public long root(final int slot)
    {
        lifecycle.checkOpen();
        return roots.get(checkSlot(slot));
    }

    /**
     * Makes durable, atomically, exactly the pages of {@code receipts}, the frees staged so far and the root slots:
     * the metadata table pages that changed are written into the copy the previous checkpoint does not use, then the
     * receipts' pages and that metadata are made durable together by one flush over the span that holds them, then
     * the superblock is written and flushed; only then does this return and publish: the pages become live and the
     * freed pages free for reuse. After a crash at any instant, the store opens at this checkpoint or at the previous
     * one, never a mix.
     *
     * <p>Writers keep writing while it runs. One checkpoint runs at a time; a second call waits. An empty
     * collection still records the staged frees and roots.
     *
     * @param receipts the receipts of the pages to make durable, each written and in no completed checkpoint.
     * @return what the checkpoint flushed, with its sequence.
     * @throws NullPointerException     if {@code receipts} is or contains {@code null}.
     * @throws IllegalArgumentException if a receipt was issued by another store, or by this file before a reopen.
     * @throws IllegalArgumentException if a page appears twice in {@code receipts}.
     * @throws IllegalStateException    if a receipt's page is already in a completed checkpoint.
     * @throws IllegalStateException    if the store is closed.
     * @throws StoreFailedException     if the store has failed, or a flush fails now (which fails it): the
     *                                  checkpoint is then not durable, and reopening recovers the previous one.
     */
    public Checkpoint checkpoint(final Collection<PageReceipt> receipts)
    {
        Objects.requireNonNull(receipts, "receipts");
        lifecycle.checkOpen();
        checkpointLock.lock();
        try
        {
            lifecycle.checkOpen();
            final long[] pages = checkReceipts(receipts);
            final long[] frees;
            synchronized (stagedFrees)
            {
                frees = stagedFrees.toLongArray();
                stagedFrees.clear();
            }
            Arrays.sort(frees);
            final long[] rootValues = new long[ROOT_SLOTS];
            for (int i = 0; i < ROOT_SLOTS; i++)
            {
                rootValues[i] = roots.get(i);
            }
            final long sequence = lastCheckpoint + 1;
            final long live = livePages + pages.length - frees.length;
            final Checkpoint checkpoint;
            try
            {
                checkpoint = checkpointer.run(sequence, pages, frees, rootValues, live);
            }
            catch (final IOException | MappingFaultException ex)
            {
                throw lifecycle.fail(ex);
            }
            publish(pages, frees);
            livePages = live;
            lastCheckpoint = sequence;
            return checkpoint;
        }
        finally
        {
            checkpointLock.unlock();
        }
    }

    /**
     * {@return the sequence of the last durable checkpoint: 0 for a new store}
     *
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed.
     */
    public long lastCheckpoint()
    {
        lifecycle.checkOpen();
        return lastCheckpoint;
    }

    /**
     * Reads a page into {@code dst} and checks it against its CRC32C.
     *
     * @param pageId the page: written (by any writer of this store instance) or live, possibly with a staged free.
     * @param dst    exactly {@link #PAGE_SIZE} bytes; on a corrupt page it holds the bytes read.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException  if {@code dst.length != PAGE_SIZE}.
     * @throws IllegalStateException     if the page is free, or allocated but not yet written.
     * @throws CorruptPageException      if the bytes do not match the page's CRC32C.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final byte[] dst)
    {
        Objects.requireNonNull(dst, "dst");
        checkLength(dst.length, "dst.length");
        final int page = checkReadable(pageId);
        try
        {
            file.readAt(layout.dataOffset(page), dst);
        }
        catch (final MappingFaultException ex)
        {
            throw lifecycle.fail(ex);
        }
        checkCrc(page, Crc.of(dst));
    }

    /**
     * Reads a page into the remaining bytes of {@code dst}, advancing its position by {@link #PAGE_SIZE}, and checks
     * it against its CRC32C.
     *
     * @param pageId the page: written (by any writer of this store instance) or live, possibly with a staged free.
     * @param dst    a heap or direct buffer with exactly {@link #PAGE_SIZE} bytes remaining.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException  if {@code dst.remaining() != PAGE_SIZE}.
     * @throws IllegalStateException     if the page is free, or allocated but not yet written.
     * @throws CorruptPageException      if the bytes do not match the page's CRC32C.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final ByteBuffer dst)
    {
        Objects.requireNonNull(dst, "dst");
        checkLength(dst.remaining(), "dst.remaining()");
        final int page = checkReadable(pageId);
        final int position = dst.position();
        try
        {
            file.readAt(layout.dataOffset(page), dst);
        }
        catch (final MappingFaultException ex)
        {
            throw lifecycle.fail(ex);
        }
        dst.position(position);
        final int actual = Crc.of(dst);
        dst.position(position + PAGE_SIZE);
        checkCrc(page, actual);
    }

    /**
     * Reads a page in place: checks it against its CRC32C, then passes {@code reader} a view of its 4096 bytes in
     * the mapping, valid only until {@code reader} returns.
     *
     * @param pageId the page: written (by any writer of this store instance) or live, possibly with a staged free.
     * @param reader reads the view.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalStateException     if the page is free, or allocated but not yet written.
     * @throws CorruptPageException      if the bytes do not match the page's CRC32C; {@code reader} is not called.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final RangeReader reader)
    {
        Objects.requireNonNull(reader, "reader");
        final int page = checkReadable(pageId);
        final CheckingReader checking = CheckingReader.arm(table, path, page, reader);
        try
        {
            file.readAt(layout.dataOffset(page), PAGE_SIZE, checking);
        }
        catch (final MappingFaultException ex)
        {
            throw lifecycle.fail(ex);
        }
        finally
        {
            checking.disarm();
        }
    }

    /**
     * Checks every live page against its CRC32C, and the current superblock and metadata table against themselves
     * and the store's state. It reads the whole store: its cost grows with the number of live pages. Checkpoints
     * wait while it runs; writers do not.
     *
     * @return the findings; {@link VerifyReport#isClean()} if nothing is wrong.
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed, or the mapping faults (which fails it).
     */
    public VerifyReport verify()
    {
        return verify(scanned ->
        {
        });
    }

    /**
     * Verifies the store like {@link #verify()}, telling {@code progress} how far it got: the number of page ids
     * scanned so far, from 0 up to {@link #pageCount()}, every few thousand pages and once at the end (for a
     * progress bar on a large store). {@code progress} runs on the calling thread.
     *
     * @param progress told the number of page ids scanned so far.
     * @return the findings; {@link VerifyReport#isClean()} if nothing is wrong.
     * @throws NullPointerException  if {@code progress} is {@code null}.
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed, or the mapping faults (which fails it).
     */
    public VerifyReport verify(final LongConsumer progress)
    {
        Objects.requireNonNull(progress, "progress");
        lifecycle.checkOpen();
        checkpointLock.lock();
        try
        {
            lifecycle.checkOpen();
            return StoreVerifier.verify(file, layout, table, lastCheckpoint, livePages, progress);
        }
        catch (final MappingFaultException ex)
        {
            throw lifecycle.fail(ex);
        }
        finally
        {
            checkpointLock.unlock();
        }
    }

    /**
     * Counts the pages by state; the cost grows with the store's size (one pass over the in-memory table).
     *
     * @return the counts and the last durable checkpoint.
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed.
     */
    public StoreStats stats()
    {
        lifecycle.checkOpen();
        final long checkpoint = lastCheckpoint;
        final long[] counts = table.countLiveAndInFlight();
        final long live = counts[0];
        final long inFlight = counts[1];
        return new StoreStats(layout.pageCount(), live, layout.pageCount() - live - inFlight, inFlight, checkpoint);
    }

    /**
     * Gives the kernel an access-pattern hint for the user pages {@code [firstPage, firstPage + pageCount)} of the
     * store's mapping, as {@link io.rangedmmap.mmap.RawMmapFile#advise(long, long, Advice)} does for a file: for
     * example {@link Advice#WILL_NEED} before a scan, or {@link Advice#POPULATE_WRITE} to fault in, writable and
     * ahead of time, pages a writer has allocated and is about to write (a bulk load, or a benchmark that keeps page
     * faults out of its measured window). A hint changes no byte, no page state and nothing durable, whatever state
     * the pages are in.
     *
     * @param firstPage the first user page.
     * @param pageCount how many pages.
     * @param advice    the hint.
     * @throws IndexOutOfBoundsException if {@code [firstPage, firstPage + pageCount)} is not inside
     *                                   {@code [0, pageCount())}.
     * @throws NullPointerException      if {@code advice} is {@code null}.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed.
     * @throws NativeCallException       if the kernel refuses the hint (its errno is kept); the store stays usable.
     */
    public void advise(final long firstPage, final long pageCount, final Advice advice) throws NativeCallException
    {
        Objects.checkFromIndexSize(firstPage, pageCount, layout.pageCount());
        Objects.requireNonNull(advice, "advice");
        lifecycle.checkOpen();
        if (0 != pageCount)
        {
            file.advise(layout.dataOffset(firstPage), pageCount * PAGE_SIZE, advice);
        }
    }

    /**
     * {@return the number of user pages}
     */
    public long pageCount()
    {
        return layout.pageCount();
    }

    /**
     * {@return the absolute path of the store file}
     */
    public Path path()
    {
        return path;
    }

    /**
     * Closes the store: waits for a running checkpoint and for the accesses in flight, unmaps the file and releases
     * its lock. It does <b>not</b> checkpoint: pages written since the last checkpoint, staged frees and roots set
     * since are not durable and are lost (the pages are free again when the store is next opened). Closing a failed
     * store is how to recover it: open it again. Closing again has no effect.
     */
    @Override
    public void close()
    {
        if (!lifecycle.close())
        {
            return;
        }
        checkpointLock.lock();
        try
        {
            file.close();
        }
        finally
        {
            checkpointLock.unlock();
        }
        LOG.info("closed page store {} at checkpoint={}", path, lastCheckpoint);
    }

    @Override
    public String toString()
    {
        return "PageStore{" + path + ", pageCount=" + layout.pageCount() + ", state=" + lifecycle.state() + "}";
    }

    Lifecycle lifecycle()
    {
        return lifecycle;
    }

    RawMmapFile file()
    {
        return file;
    }

    StoreLayout layout()
    {
        return layout;
    }

    PageTable table()
    {
        return table;
    }

    int extentPages()
    {
        return options.extentPages();
    }

    long claim(final long pages, final Runs into)
    {
        return allocator.claim(pages, into);
    }

    void giveBack(final Runs free)
    {
        allocator.append(free);
    }

    int checkPageId(final long pageId)
    {
        if (pageId < 0 || pageId >= layout.pageCount())
        {
            throw new IndexOutOfBoundsException("pageId=" + pageId + " is out of bounds for pageCount=" +
                layout.pageCount() + " of " + path);
        }
        return (int)pageId;
    }

    private void publish(final long[] pages, final long[] frees)
    {
        for (final long page : pages)
        {
            table.setStateRelease((int)page, PageTable.LIVE);
        }
        for (final long page : frees)
        {
            table.setStateRelease((int)page, PageTable.FREE);
        }
        // The allocator publishes the new free runs with a release CAS, after the FREE states above.
        allocator.append(Runs.of(frees));
    }

    private long[] checkReceipts(final Collection<PageReceipt> receipts)
    {
        final long[] pages = new long[receipts.size()];
        int count = 0;
        for (final PageReceipt receipt : receipts)
        {
            Objects.requireNonNull(receipt, "receipts contains null");
            if (this != receipt.store())
            {
                throw new IllegalArgumentException("receipt for page=" + receipt.pageId() + " was issued by " +
                    (path.equals(receipt.store().path()) ? "an earlier instance of " + path + " (before a reopen)" :
                    "another store, " + receipt.store().path()) + "; only receipts of this store instance, " + path +
                    ", can be checkpointed");
            }
            pages[count++] = receipt.pageId();
        }
        final long[] sorted = Arrays.copyOf(pages, count);
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new IllegalArgumentException("page=" + sorted[i] + " appears twice in receipts");
            }
            final int word = table.stateAcquire((int)sorted[i]);
            if (PageTable.WRITTEN != word)
            {
                throw new IllegalStateException("page=" + sorted[i] + " of " + path + " is " +
                    PageTable.nameOf(word) + ", expected WRITTEN: its receipt is already in a completed checkpoint");
            }
        }
        return sorted;
    }

    private int checkReadable(final long pageId)
    {
        lifecycle.checkOpen();
        final int page = checkPageId(pageId);
        final int state = PageTable.stateOf(table.stateAcquire(page));
        if (PageTable.WRITTEN != state && PageTable.LIVE != state && PageTable.FREEING != state)
        {
            throw new IllegalStateException("page=" + pageId + " of " + path + " cannot be read: it is " +
                (PageTable.FREE == state ? "free" : "allocated but not yet written"));
        }
        return page;
    }

    private void checkCrc(final int page, final int actual)
    {
        final int expected = table.crc(page);
        if (expected != actual)
        {
            throw new CorruptPageException(path.toString(), page, expected, actual);
        }
    }

    private static void checkLength(final int length, final String name)
    {
        if (PAGE_SIZE != length)
        {
            throw new IllegalArgumentException(name + "=" + length + " must equal PAGE_SIZE=" + PAGE_SIZE);
        }
    }

    private static int checkSlot(final int slot)
    {
        if (slot < 0 || slot >= ROOT_SLOTS)
        {
            throw new IndexOutOfBoundsException("slot=" + slot + " must be in [0, " + ROOT_SLOTS + ")");
        }
        return slot;
    }
}
