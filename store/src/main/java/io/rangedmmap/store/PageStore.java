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
import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.CallbackGuard;
import io.rangedmmap.store.internal.CheckpointCoordinator;
import io.rangedmmap.store.internal.Checkpointer;
import io.rangedmmap.store.internal.Extent;
import io.rangedmmap.store.internal.ExtentAllocator;
import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.LazyGroups;
import io.rangedmmap.store.internal.LiveCrcs;
import io.rangedmmap.store.internal.Lifecycle;
import io.rangedmmap.store.internal.PageChanges;
import io.rangedmmap.store.internal.PageLifetimes;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.PopulatedPages;
import io.rangedmmap.store.internal.PwriteStoreIo;
import io.rangedmmap.store.internal.Recovery;
import io.rangedmmap.store.internal.Runs;
import io.rangedmmap.store.internal.SnapshotRegistry;
import io.rangedmmap.store.internal.StaleGroups;
import io.rangedmmap.store.internal.StoreGrowth;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.StoreOpening;
import io.rangedmmap.store.internal.StoreSeams;
import io.rangedmmap.store.internal.StoreVerifier;
import io.rangedmmap.store.internal.WriterCounts;
import io.rangedmmap.store.internal.WriterIds;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * one thread at a time (enforced: see {@link PageWriter}). Checkpoints run one at a time (concurrent calls are
 * combined into the next one) and writers never wait for them. {@code close} waits for a running checkpoint and for
 * the accesses in flight.
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

    static
    {
        // Benchmarks and probes open a store over their own StoreIo through StoreSeams, never by reflection.
        StoreSeams.install(new Seams());
    }

    private final Path path;
    private final RawMmapFile file;
    private final StoreLayout layout;
    private final PageTable table;
    private final ExtentAllocator allocator;
    private final StoreGrowth growth;
    private final Lifecycle lifecycle;
    private final StoreOptions options;
    private final CheckpointCoordinator checkpoints;
    private final WriterIds writerIds = new WriterIds(PageTable.MAX_OWNER);
    private final CallbackGuard callbacks = new CallbackGuard();
    private final SuperblockFallback fallback;
    private final boolean readOnly;
    private final SnapshotRegistry snapshots;
    private final long storeId;
    private final PopulatedPages populated = new PopulatedPages();
    private final LazyGroups lazyGroups;
    private final LiveCrcs liveCrcs;

    private PageStore(final Path path, final RawMmapFile file, final Recovery recovery, final StoreOptions options,
        final StoreIo io)
    {
        this.path = path;
        this.file = file;
        this.layout = recovery.layout();
        this.table = recovery.table();
        this.allocator = new ExtentAllocator(recovery.free(), recovery.superblock().livePages());
        this.lifecycle = new Lifecycle(path.toString());
        if (recovery.lazy())
        {
            // Before anything touches the table: the groups below the high-water mark load at their first touch.
            this.lazyGroups = new LazyGroups(file, path, layout, recovery.superblock(), allocator, lifecycle);
            table.unloaded(recovery.superblock().highWater(), recovery.freeMap(),
                SuperblockDescriptor.freeMapSpan(recovery.superblock().highWater()), lazyGroups);
            allocator.lazy(table);
        }
        else
        {
            this.lazyGroups = null;
        }
        this.options = options;
        // Read-only: the table has no room to grow, but maxPages is reported as the file records it.
        this.growth = new StoreGrowth(path, file, io, table, lifecycle, layout.pageCount(), file.isReadOnly() ?
            recovery.superblock().maxPages() : table.capacity(), options.growthPages());
        growth.pool(allocator);
        this.storeId = recovery.superblock().storeId();
        this.liveCrcs = new LiveCrcs(file, recovery.superblock().sequence());
        this.snapshots = new SnapshotRegistry(allocator, table, liveCrcs,
            new PageChanges(table.capacity(), table::groupSequence),
            recovery.superblock().sequence(), recovery.superblock().roots());
        this.checkpoints = new CheckpointCoordinator(path.toString(), table, liveCrcs, snapshots, allocator,
            new Checkpointer(file, io, growth, table, recovery.staleTablePages(),
                new StaleGroups(file, path, layout, recovery.superblock(), table, lifecycle),
                recovery.superblock().highWater(), storeId, recovery.clean(), null != recovery.fallback()),
            lifecycle, populated,
            recovery.superblock().sequence(), recovery.superblock().livePages(), recovery.superblock().roots());
        this.fallback = recovery.fallback();
        this.readOnly = file.isReadOnly();
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
        Formatter.format(path, pageCount, StoreOpening.maxPagesToCreate(pageCount, options), io);
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
        return open(path, options, io, false, true);
    }

    /**
     * Opens a store the full way whatever its state: every group read and checked, and the two copies compared,
     * before this returns (as every open after a crash did before the lazy one). The reference the tests compare the
     * lazy opens with. Not API.
     */
    static PageStore openFully(final Path path) throws IOException
    {
        return open(path, StoreOptions.defaults(), StoreIo.DIRECT, false, false);
    }

    /**
     * Opens a store read-only, at its last durable checkpoint, to inspect it: on read-only media, from a backup, or
     * beside another reader. The file is opened for reading only and held with a <em>shared</em> lock, which other
     * read-only opens may share and a writer may not; nothing is ever written to it (not even its timestamps).
     * {@code read}, {@code root}, {@code stats}, {@code verify} and {@code lastCheckpoint} work as usual; every
     * mutating call ({@code newWriter}, {@code free}, {@code setRoot}, {@code checkpoint}) throws
     * {@link IllegalStateException}. The file is validated as {@link #open(Path, StoreOptions)} validates it.
     *
     * @param path the store file.
     * @return the store, open read-only.
     * @throws java.nio.file.NoSuchFileException        if the file does not exist.
     * @throws io.rangedmmap.mmap.FileLockedException   if a writer holds the store (in another process, or any
     *                                                  open of it in this JVM).
     * @throws IncompatibleStoreException               if the file is not a store, is of a newer format, has a
     *                                                  size its superblock does not imply, or damaged metadata.
     * @throws IOException                              on any other I/O error.
     */
    public static PageStore openReadOnly(final Path path) throws IOException
    {
        return open(path, StoreOptions.defaults(), StoreIo.DIRECT, true, true);
    }

    private static PageStore open(final Path path, final StoreOptions options, final StoreIo io,
        final boolean readOnly, final boolean lazy) throws IOException
    {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        final Path absolute = path.toAbsolutePath();
        final RawMmapFile file = StoreOpening.map(absolute, options, readOnly);
        try
        {
            StoreOpening.rollBackInterruptedBackup(file, absolute, io, readOnly);
            final Recovery recovery = Recovery.recover(file, absolute, readOnly ? 0 : options.maxPages(), lazy);
            // The checkpoints' metadata and superblock pages go through the file's descriptor (see PwriteStoreIo).
            final PageStore store = new PageStore(absolute, file, recovery, options,
                !readOnly && StoreIo.DIRECT == io ? PwriteStoreIo.INSTANCE : io);
            LOG.info("opened page store {}{} pageCount={} livePages={} checkpoint={}", absolute,
                readOnly ? " read-only" : "", store.layout.pageCount(), store.checkpoints.livePages(),
                store.checkpoints.lastCheckpoint());
            StoreOpening.warnOfFallback(absolute, store.fallback);
            if (!readOnly && store.growth.maxPages() != recovery.superblock().maxPages())
            {
                // The open option changed maxPages: a checkpoint records it before the store can grow past the old.
                try
                {
                    store.checkpoint(java.util.List.of());
                }
                catch (final StoreFailedException ex)
                {
                    // After a crash that checkpoint compares the copies first, the work the open left to it: damage
                    // it finds is refused as the open refuses damage. The failed store writes nothing at its close.
                    store.close();
                    if (ex.getCause() instanceof IncompatibleStoreException damaged)
                    {
                        throw damaged;
                    }
                    throw ex;
                }
            }
            return store;
        }
        catch (final RuntimeException | IOException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * Says whether {@code open} fell back from one superblock to the other: which slot the store was opened from and
     * why the other was rejected. A fallback is normal after a crash that tore the superblock of a checkpoint in
     * flight, and is also what damage to the newest superblock looks like, which silently rolls an acknowledged
     * checkpoint back; it is logged at WARN when the store is opened and {@link #verify()} reports the damaged slot
     * until a checkpoint rewrites it.
     *
     * @return the fallback, or empty if both superblocks were valid when the store was opened.
     */
    public Optional<SuperblockFallback> superblockFallback()
    {
        return Optional.ofNullable(fallback);
    }

    /**
     * Creates a writer, which claims free pages from this store and writes them.
     *
     * <p>Each open writer holds an id that marks the pages it allocated; a closed writer's id is given to a later
     * writer, and no two open writers ever share one. Close writers that are no longer used.
     *
     * @return a new writer; close it to return the pages it did not use.
     * @throws IllegalStateException if the store is closed.
     * @throws IllegalStateException if 2^29 - 1 writers are open at once (every id is held).
     * @throws StoreFailedException  if the store has failed.
     * @throws IllegalStateException if the store was opened read-only.
     */
    public PageWriter newWriter()
    {
        checkWritable();
        return new PageWriter(this, writerIds.acquire());
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
     * @throws IllegalStateException     if the store was opened read-only.
     */
    public void free(final long pageId)
    {
        checkWritable();
        checkpoints.free(checkPageId(pageId));
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
     * @throws IllegalStateException     if the store was opened read-only.
     */
    public void setRoot(final int slot, final long value)
    {
        checkWritable();
        checkpoints.setRoot(checkSlot(slot), value);
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
        return checkpoints.root(checkSlot(slot));
    }

    /**
     * Makes durable, atomically, exactly the pages of {@code receipts}, the frees staged so far and the root slots:
     * the metadata table pages that changed are written into the copy the previous checkpoint does not use, the new
     * superblock names them with a digest, and one device flush makes the receipts' pages, that metadata and the
     * superblock durable together (a very large checkpoint flushes its pages and metadata first, then the
     * superblock); only then does this return and publish: the pages become live and the freed pages free for reuse.
     * After a crash at any instant, the store opens at this checkpoint or at the previous one, never a mix: open
     * accepts the newest superblock only if every metadata page and user page it newly names matches its CRC32C.
     *
     * <p>Writers keep writing while it runs. Calls from several threads are combined (group commit): calls that
     * arrive while a checkpoint is being flushed are made durable together by the next one, which each of them
     * returns; a call waits for at most one flush besides its own. The frees and roots staged before a call are in
     * the checkpoint it returns or an earlier one. An empty collection still records the staged frees and roots.
     *
     * @param receipts the receipts of the pages to make durable, each written and in no completed checkpoint.
     * @return what the checkpoint flushed, with its sequence.
     * @throws NullPointerException     if {@code receipts} is or contains {@code null}.
     * @throws IllegalArgumentException if a receipt was issued by another store, or by this file before a reopen.
     * @throws IllegalArgumentException if a receipt is stale: its write was discarded
     *                                  ({@link PageWriter#discard(PageReceipt)}), or its page was checkpointed and
     *                                  freed since; the page may have been written again by another write (the
     *                                  receipt proves that write, not the page's current one).
     * @throws IllegalArgumentException if a page appears twice in {@code receipts}.
     * @throws IllegalStateException    if a receipt's write is already in a completed checkpoint.
     * @throws IllegalStateException    if the store is closed.
     * @throws StoreFailedException     if the store has failed, or a flush fails now (which fails it): the
     *                                  checkpoint is then not durable, and reopening recovers the previous one;
     *                                  every call of the same group gets this error.
     * @throws IllegalStateException    if the store was opened read-only.
     */
    public Checkpoint checkpoint(final Collection<PageReceipt> receipts)
    {
        return checkpoints.commit(checkedPages(receipts));
    }

    /**
     * Like {@link #checkpoint(Collection)}, without blocking: the returned future completes when the checkpoint
     * holding the receipts' pages is durable, with that checkpoint, or exceptionally with what {@code checkpoint}
     * would throw (the store's failure, a receipt committed meanwhile by another call, a close). The checkpoint is
     * run by a caller of {@code checkpoint} blocked meanwhile, or else by a daemon thread of this store; callbacks
     * on the future run in that thread, after the checkpoint is published.
     *
     * @param receipts the receipts of the pages to make durable, each written and in no completed checkpoint.
     * @return the future checkpoint.
     * @throws NullPointerException     if {@code receipts} is or contains {@code null}.
     * @throws IllegalArgumentException if a receipt was issued by another store, or by this file before a reopen.
     * @throws IllegalArgumentException if a receipt is stale (see {@link #checkpoint(Collection)}).
     * @throws IllegalArgumentException if a page appears twice in {@code receipts}.
     * @throws IllegalStateException    if a receipt's write is already in a completed checkpoint.
     * @throws IllegalStateException    if the store is closed.
     * @throws IllegalStateException    if the store was opened read-only.
     * @throws StoreFailedException     if the store has failed.
     */
    public CompletableFuture<Checkpoint> checkpointAsync(final Collection<PageReceipt> receipts)
    {
        return checkpoints.commitAsync(checkedPages(receipts));
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
        return checkpoints.lastCheckpoint();
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
        PageReads.checkLength(dst.length, "dst.length");
        PageReads.read(this, pageId, dst);
    }

    /**
     * Reads a page into the remaining bytes of {@code dst}, advancing its position by {@link #PAGE_SIZE}, and checks
     * it against its CRC32C.
     *
     * @param pageId the page: written (by any writer of this store instance) or live, possibly with a staged free.
     * @param dst    a heap or direct buffer with exactly {@link #PAGE_SIZE} bytes remaining.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     * @throws IllegalArgumentException  if {@code dst.remaining() != PAGE_SIZE}.
     * @throws IllegalArgumentException  if {@code dst} is read-only.
     * @throws IllegalStateException     if the page is free, or allocated but not yet written.
     * @throws CorruptPageException      if the bytes do not match the page's CRC32C.
     * @throws IllegalStateException     if the store is closed.
     * @throws StoreFailedException      if the store has failed, or the mapping faults now (which fails it).
     */
    public void read(final long pageId, final ByteBuffer dst)
    {
        Objects.requireNonNull(dst, "dst");
        PageReads.checkLength(dst.remaining(), "dst.remaining()");
        PageReads.read(this, pageId, dst);
    }

    /**
     * Reads a page in place: checks it against its CRC32C, then passes {@code reader} a view of its 4096 bytes in
     * the mapping, valid only until {@code reader} returns. {@code reader} must not close the store: that is refused
     * with {@link IllegalStateException}, since {@code close} waits for the accesses in flight, this one included.
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
        PageReads.read(this, pageId, reader);
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
     * progress bar on a large store). {@code progress} runs on the calling thread, and must not close the store
     * (refused with {@link IllegalStateException}).
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
        return StoreVerifier.verifyWhileIdle(checkpoints, lifecycle, callbacks, file, growth, table, progress);
    }

    /**
     * Opens a snapshot of the newest durable checkpoint: until it is closed, every page live in that checkpoint reads
     * through it with its bytes of that moment, even once freed and after later checkpoints, and its roots are that
     * checkpoint's. Opening one is O(1) and lock-free; writers and checkpoints never wait for it. While it is open
     * the space of the pages it can see is not reused: close it promptly (see {@link StoreSnapshot}).
     *
     * @return the snapshot; close it.
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed.
     */
    public StoreSnapshot snapshot()
    {
        lifecycle.checkOpen();
        return new StoreSnapshot(this, snapshots);
    }

    /**
     * Writes a backup of the newest durable checkpoint to {@code target}. See {@link #backup(Path, LongConsumer)}.
     *
     * @param target the backup file to create; its directory must exist.
     * @return the checkpoint of this store the backup holds, with what was written: the user pages copied, the
     *         metadata pages written, the bytes and the time taken.
     * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists; it is left untouched.
     * @throws java.nio.file.NoSuchFileException        if the directory of {@code target} does not exist.
     * @throws java.nio.file.AccessDeniedException      if the directory of {@code target} cannot be written.
     * @throws IllegalStateException                    if the store is closed (before or during the backup).
     * @throws StoreFailedException                     if the store has failed.
     * @throws CorruptPageException                     if a page to copy does not match its CRC32C.
     * @throws IOException                              on any other I/O error; no file is left under
     *                                                  {@code target}.
     */
    public Checkpoint backup(final Path target) throws IOException
    {
        return backup(target, scanned ->
        {
        });
    }

    /**
     * Writes a backup of the newest durable checkpoint at the moment of the call to {@code target}, while writers,
     * checkpoints and readers go on: a complete store of the same size and store id, holding exactly that
     * checkpoint's live pages (each read through a {@link StoreSnapshot} and checked against its CRC32C) under the
     * same page ids, its metadata and roots; free space is not copied. The backup is written under a temporary name
     * beside {@code target}, flushed, then linked to {@code target} and its directory fsynced: a crash or error at
     * any point leaves no file under {@code target}. It opens with {@code lastCheckpoint()} equal to the returned
     * checkpoint's sequence, and can later be brought forward by {@link #backupTo(Path)}.
     *
     * <p>{@code progress} is told the number of page ids scanned so far, every few thousand and once at the end
     * ({@link #pageCount()}), on the calling thread.
     *
     * @param target   the backup file to create; its directory must exist.
     * @param progress told the number of page ids scanned so far.
     * @return the checkpoint of this store the backup holds, with what was written: the user pages copied, the
     *         metadata pages written, the bytes and the time taken.
     * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists; it is left untouched.
     * @throws java.nio.file.NoSuchFileException        if the directory of {@code target} does not exist.
     * @throws java.nio.file.AccessDeniedException      if the directory of {@code target} cannot be written.
     * @throws IllegalStateException                    if the store is closed (before or during the backup).
     * @throws StoreFailedException                     if the store has failed.
     * @throws CorruptPageException                     if a page to copy does not match its CRC32C.
     * @throws IOException                              on any other I/O error; no file is left under
     *                                                  {@code target}.
     */
    public Checkpoint backup(final Path target, final LongConsumer progress) throws IOException
    {
        lifecycle.checkOpen();
        return StoreBackup.full(this, target, progress);
    }

    /**
     * Brings a backup forward to the newest durable checkpoint. See {@link #backupTo(Path, LongConsumer)}.
     *
     * @param existingBackup a backup of this store made by {@link #backup(Path)} (or brought forward since).
     * @return the checkpoint of this store the backup now holds, with what was written.
     * @throws java.nio.file.NoSuchFileException      if {@code existingBackup} does not exist.
     * @throws io.rangedmmap.mmap.FileLockedException if the backup is open, here or in another process.
     * @throws IncompatibleStoreException             if {@code existingBackup} is not a valid store.
     * @throws BackupMismatchException                if it is a backup of another store, or newer than this one.
     * @throws IllegalStateException                  if the store is closed (before or during the backup).
     * @throws StoreFailedException                   if the store has failed.
     * @throws CorruptPageException                   if a page to copy does not match its CRC32C.
     * @throws IOException                            on any other I/O error; the backup holds its old checkpoint.
     */
    public Checkpoint backupTo(final Path existingBackup) throws IOException
    {
        return backupTo(existingBackup, scanned ->
        {
        });
    }

    /**
     * Brings a backup of this store forward to the newest durable checkpoint at the moment of the call, copying only
     * the pages that changed since the checkpoint it holds (told apart by the page states and out-of-band CRC32Cs,
     * and by comparing the bytes of a page whose history this store instance does not know), as one crash-safe
     * checkpoint of the backup: the bytes the backup's old checkpoint needs and the incremental overwrites are first
     * saved in an undo journal ({@code existingBackup + ".undo"}) made durable; then the pages, the metadata and the
     * superblock are written and flushed; then the journal is removed. A crash at any point leaves the backup at its
     * old checkpoint (the next {@link #open(Path)} of it puts the saved bytes back) or at the new one. Writers,
     * checkpoints and readers of this store go on meanwhile.
     *
     * @param existingBackup a backup of this store made by {@link #backup(Path)} (or brought forward since).
     * @param progress       told the number of page ids scanned so far, every few thousand and once at the end.
     * @return the checkpoint of this store the backup now holds, with what was written.
     * @throws java.nio.file.NoSuchFileException      if {@code existingBackup} does not exist.
     * @throws io.rangedmmap.mmap.FileLockedException if the backup is open, here or in another process.
     * @throws IncompatibleStoreException             if {@code existingBackup} is not a valid store.
     * @throws BackupMismatchException                if it is a backup of another store, or newer than this one.
     * @throws IllegalStateException                  if the store is closed (before or during the backup).
     * @throws StoreFailedException                   if the store has failed.
     * @throws CorruptPageException                   if a page to copy does not match its CRC32C.
     * @throws IOException                            on any other I/O error; the backup holds its old checkpoint.
     */
    public Checkpoint backupTo(final Path existingBackup, final LongConsumer progress) throws IOException
    {
        lifecycle.checkOpen();
        return StoreBackup.incremental(this, existingBackup, progress);
    }

    /**
     * Counts the pages by state, from counts kept at each change of state: the cost grows with the number of open
     * writers and snapshots, never with the store's size (no pass over the pages).
     * {@link StoreStats#writtenPages()} shows the pages written and neither checkpointed nor discarded: a count that
     * only grows points at receipts an engine forgot to checkpoint or discard.
     *
     * <p>The counts are exact when no writer call, checkpoint or free is in progress. Taken while some are, a page
     * changing state meanwhile may be counted in its old or its new state, or not at all, but never twice: no count
     * is ever negative, and {@code livePages + freePages + inFlightPages == pageCount}.
     *
     * @return the counts and the last durable checkpoint.
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed.
     */
    public StoreStats stats()
    {
        lifecycle.checkOpen();
        final long checkpoint = checkpoints.lastCheckpoint();
        // Kept at each change of state (PageCounts): no pass over the pages.
        final long[] counts = allocator.countLiveAndInFlight();
        final long live = counts[0];
        final long inFlight = counts[1];
        // After the counts: a page a writer counted from a growth is below the page count read after its count.
        final long pageCount = growth.pageCount();
        return new StoreStats(pageCount, live, pageCount - live - inFlight, inFlight, checkpoint, growth.maxPages(),
            snapshots.openSnapshots(), snapshots.oldestPinned(), snapshots.heldPages(), counts[2]);
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
        Objects.checkFromIndexSize(firstPage, pageCount, growth.pageCount());
        Objects.requireNonNull(advice, "advice");
        lifecycle.checkOpen();
        if (0 != pageCount)
        {
            file.advise(layout.dataOffset(firstPage), pageCount * PAGE_SIZE, advice);
            if (Advice.POPULATE_WRITE == advice)
            {
                // After the advice: a copying write into these pages may now go through the mapping, fault-free.
                populated.add(firstPage, firstPage + pageCount);
            }
        }
    }

    /**
     * {@return the current number of user pages; it rises as the store grows}
     */
    public long pageCount()
    {
        return growth.pageCount();
    }

    /**
     * {@return the largest number of user pages the store may grow to: {@link #pageCount()} for a store created
     * without {@link StoreOptions#withMaxPages(long)}}
     */
    public long maxPages()
    {
        return growth.maxPages();
    }

    /**
     * Grows the store to {@code newPageCount} user pages now, or does nothing if it has that many already. The new
     * pages are free at once; the next checkpoint records the new size (a crash before it opens the store at the
     * size its last checkpoint recorded). Nothing already mapped moves: readers and writers of existing pages go on
     * meanwhile, and a view handed to a {@link RangeReader} stays valid. Thread-safe; growths are serialised.
     *
     * @param newPageCount the page count wanted.
     * @return the page count after the call.
     * @throws IllegalArgumentException if {@code newPageCount} is above {@link #maxPages()} or below 1.
     * @throws StoreFullException       if the disk has no room for the new pages (the exception names the bytes
     *                                  requested and available); the store stays healthy and keeps its size.
     * @throws IllegalStateException    if the store is closed or was opened read-only.
     * @throws StoreFailedException     if the store has failed, or the flush of the new metadata fails (which fails
     *                                  it).
     */
    public long grow(final long newPageCount)
    {
        checkWritable();
        return growth.grow(newPageCount);
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
     *
     * <p>Calling it from inside one of this store's callbacks (a {@link RangeReader} of {@code read}, a
     * {@link io.rangedmmap.mmap.RangeWriter} of a {@link PageWriter}'s {@code write}, or the progress listener of
     * {@code verify}) would wait forever for that callback's own access: it is refused at once, and the store stays
     * open.
     *
     * @throws IllegalStateException if called from inside one of this store's callbacks.
     */
    @Override
    public void close()
    {
        if (callbacks.isInside())
        {
            throw new IllegalStateException("close() of page store " + path + " was called from inside one of its " +
                "callbacks (a RangeReader, a RangeWriter or a verify progress listener), and would wait forever for " +
                "that callback's own access; close the store after the callback returns");
        }
        if (!lifecycle.close())
        {
            return;
        }
        // The growth-ahead thread ends first, its growth in flight (if any) done while the file is still open.
        growth.close();
        checkpoints.close(file::close);
        LOG.info("closed page store {} at checkpoint={}", path, checkpoints.lastCheckpoint());
    }

    /**
     * The opener installed in {@link StoreSeams}.
     */
    private static final class Seams implements StoreSeams.Opener
    {
        @Override
        public PageStore open(final Path path, final StoreOptions options, final StoreIo io) throws IOException
        {
            return PageStore.open(path, options, io);
        }
    }

    @Override
    public String toString()
    {
        return "PageStore{" + path + ", pageCount=" + growth.pageCount() + ", state=" + lifecycle.state() + "}";
    }

    CheckpointCoordinator.InFlight checkpointInFlight()
    {
        return checkpoints.inFlight();
    }

    CheckpointCoordinator coordinator()
    {
        return checkpoints;
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

    LazyGroups lazyGroups()
    {
        return lazyGroups;
    }

    PageTable table()
    {
        return table;
    }

    /**
     * {@return the CRC32C of the live pages, read from the current metadata copy}
     */
    LiveCrcs liveCrcs()
    {
        return liveCrcs;
    }

    PopulatedPages populated()
    {
        return populated;
    }

    PageChanges changes()
    {
        return snapshots.changes();
    }

    /**
     * {@return the page lifetimes snapshots hold, or {@code null} while none is open}
     */
    PageLifetimes lifetimes()
    {
        return snapshots.lifetimes();
    }

    long[] staleTablePages()
    {
        return checkpoints.staleTablePages();
    }

    long storeId()
    {
        return storeId;
    }

    int extentPages()
    {
        return options.extentPages();
    }

    long claim(final Extent extent, final long count, final long pages)
    {
        return growth.claim(extent, count, pages);
    }

    void register(final Extent extent, final WriterCounts counts)
    {
        allocator.register(extent, counts);
    }

    void unregister(final Extent extent, final WriterCounts counts)
    {
        allocator.unregister(extent, counts);
    }

    void giveBack(final Runs free)
    {
        allocator.append(free);
    }

    void giveBack(final long page)
    {
        allocator.append(page, page + 1);
    }

    /**
     * {@return a page's current write, its state word and CRC32C packed: see
     * {@link CheckpointCoordinator#currentWrite(long)}}
     */
    long currentWrite(final long page)
    {
        return checkpoints.currentWrite(page);
    }

    /**
     * Frees a written page whose receipt its writer discards, unless a checkpoint call holds it; the caller gives
     * the page back to the pool if this returns {@code true}.
     *
     * @param page the page.
     * @param word the state word its receipt proves.
     * @return whether the page still had {@code word} and is now FREE.
     * @throws IllegalStateException if a checkpoint call in flight holds the page.
     */
    boolean discardWritten(final long page, final int word)
    {
        return checkpoints.discardWritten(page, word);
    }

    void releaseWriterId(final int id)
    {
        writerIds.release(id);
    }

    int writeStamp()
    {
        return checkpoints.writeStamp();
    }

    CallbackGuard callbacks()
    {
        return callbacks;
    }

    long checkPageId(final long pageId)
    {
        return growth.checkPageId(pageId);
    }

    /**
     * Waits until no growth ahead is pending or running: for tests and crash simulations.
     */
    void awaitGrowthAhead()
    {
        growth.awaitGrowthAhead();
    }

    /**
     * {@return whether a growth ahead failed at the current page count (the writer that runs out gets the error)}
     */
    boolean growthAheadRefused()
    {
        return growth.growthAheadRefused();
    }

    /**
     * The pages of the receipts, checked in the caller's thread: each of this store instance, proving the page's
     * current write, distinct and WRITTEN (the group commit checks the state again when it runs).
     */
    private long[] checkedPages(final Collection<PageReceipt> receipts)
    {
        Objects.requireNonNull(receipts, "receipts");
        checkWritable();
        final long[] pages = new long[receipts.size()];
        final int[] words = new int[pages.length];
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
            words[count] = checkpoints.checkWrite(receipt.pageId(), receipt.stamp(), receipt.crc32c());
            pages[count++] = receipt.pageId();
        }
        final long[] checked = count == pages.length ? pages : Arrays.copyOf(pages, count);
        checkpoints.reserve(checked, words);
        return checked;
    }

    /**
     * Throws unless the store is open for writing.
     */
    private void checkWritable()
    {
        lifecycle.checkOpen();
        if (readOnly)
        {
            throw new IllegalStateException("page store " + path + " is open read-only and refuses every change; " +
                "open it with PageStore.open to change it");
        }
    }

    /**
     * {@return whether the store was opened read-only, by {@link #openReadOnly(Path)}}
     */
    public boolean isReadOnly()
    {
        return readOnly;
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
