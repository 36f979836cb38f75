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

import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.StoreFullException;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.jfr.GrowthEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The size of an open store and how it grows: the current page count (which a checkpoint records), the largest one
 * ({@code maxPages}) and the step of an automatic growth.
 *
 * <p>A growth, one at a time: extends the file under its mapping with the new blocks reserved (a full disk fails here,
 * as {@link StoreFullException}, with nothing durable touched), writes the metadata pages of the new groups (zero
 * entries, in both copies, sequence 0), flushes them, and only then publishes the new pages: first in the page table,
 * then the page count, then to the free pool, where writers claim them. Nothing durable names the new size until the
 * next checkpoint records it; a crash before that opens the store at the old size, with a tail that the next growth
 * reuses (its metadata pages are written again). Nothing already mapped moves: the file is mapped once, for
 * {@code maxPages}, when the store is opened (see {@link RawMmapFile#openGrowable(Path, long)}).
 *
 * <p>A growth ahead (a refill left the pool low) runs on the store's {@link GrowthAhead} thread, so that no writer's
 * {@code allocate} waits for it; a writer waits for a growth only when the pool has no run for it.
 *
 * <p><b>Thread safety:</b> {@link #pageCount()} and {@link #maxPages()} may be read by any thread; growths are
 * serialised by a lock that is never taken on the read or write path of existing pages.
 */
public final class StoreGrowth
{
    /**
     * The smallest automatic growth step: 64 MiB of pages.
     */
    public static final long MIN_DEFAULT_STEP = (64L << 20) / StoreLayout.PAGE_SIZE;

    private static final Logger LOG = LoggerFactory.getLogger("io.rangedmmap.store.PageStore");

    private static final int ENOSPC = 28;

    /**
     * A refill that leaves fewer free pages in the pool than a step divided by this, and than the store's page count
     * divided by {@link #AHEAD_STORE_FRACTION}, starts a growth ahead.
     */
    private static final long AHEAD_FRACTION = 4;

    /**
     * Bounds the growth ahead by the store's size: a small store with a large step (the default 64 MiB) does not grow
     * long before its pool is nearly used up.
     */
    private static final long AHEAD_STORE_FRACTION = 8;

    private final Path path;
    private final RawMmapFile file;
    private final StoreIo io;
    private final PageTable table;
    private final Lifecycle lifecycle;
    private final long maxPages;
    private final long growthPages;
    private final ReentrantLock lock = new ReentrantLock();
    private final GrowthAhead ahead;
    private ExtentAllocator allocator;
    /**
     * The page count at which a growth ahead failed (a full disk, or an I/O error that did not fail the store): not
     * tried again ahead at that size; the writer that runs out grows itself and gets the exception. Volatile: written
     * by the growth-ahead thread before its release of the request word, read by writers deciding to ask again.
     */
    private volatile long aheadRefusedAt = -1;
    // Volatile: read by checkpoints, writers' bounds checks and stats while a growth publishes a new count.
    private volatile long pageCount;

    /**
     * Creates the size of an open store.
     *
     * @param path        the store, for messages.
     * @param file        the store file, mapped for {@code maxPages} if it may grow.
     * @param io          the seam metadata writes and flushes go through.
     * @param table       the page table, with room for {@code maxPages}.
     * @param lifecycle   the store's lifecycle, failed by a failed flush.
     * @param pageCount   the page count of the last checkpoint.
     * @param maxPages    the largest page count.
     * @param growthPages the step of an automatic growth, 0 for the default.
     */
    public StoreGrowth(final Path path, final RawMmapFile file, final StoreIo io, final PageTable table,
        final Lifecycle lifecycle, final long pageCount, final long maxPages, final long growthPages)
    {
        this.path = path;
        this.file = file;
        this.io = io;
        this.table = table;
        this.lifecycle = lifecycle;
        this.pageCount = pageCount;
        this.maxPages = maxPages;
        this.growthPages = growthPages;
        this.ahead = new GrowthAhead(path.toString(), this::growAhead);
    }

    /**
     * Sets the free pool the pages of a growth are handed to; called once, before the store is used.
     *
     * @param allocator the store's free pool.
     */
    public void pool(final ExtentAllocator allocator)
    {
        this.allocator = allocator;
    }

    /**
     * {@return the current number of user pages}
     */
    public long pageCount()
    {
        return pageCount;
    }

    /**
     * {@return {@code pageId}, once checked to be a user page of the store at its current size}
     *
     * @param pageId the page id.
     * @throws IndexOutOfBoundsException if {@code pageId} is not in {@code [0, pageCount())}.
     */
    public long checkPageId(final long pageId)
    {
        final long pageCount = this.pageCount;
        if (pageId < 0 || pageId >= pageCount)
        {
            throw new IndexOutOfBoundsException("pageId=" + pageId + " is out of bounds for pageCount=" + pageCount +
                " of " + path);
        }
        return pageId;
    }

    /**
     * {@return the largest number of user pages the store may grow to}
     */
    public long maxPages()
    {
        return maxPages;
    }

    /**
     * {@return the step of an automatic growth at the current size: the configured step, or 10% of the store and at
     * least 64 MiB; capped by what is left below maxPages}
     */
    public long step()
    {
        final long current = pageCount;
        final long step = 0 != growthPages ? growthPages : Math.max(current / 10, MIN_DEFAULT_STEP);
        return Math.min(step, maxPages - current);
    }

    /**
     * Grows the store to {@code newPageCount} pages, or does nothing if it has that many already.
     *
     * @param newPageCount the page count wanted.
     * @return the page count after the call.
     * @throws IllegalArgumentException if {@code newPageCount > maxPages} or {@code newPageCount < 1}.
     * @throws StoreFullException       if the disk has no room for the new pages; the store stays healthy.
     */
    public long grow(final long newPageCount)
    {
        if (newPageCount < 1 || newPageCount > maxPages)
        {
            throw new IllegalArgumentException("newPageCount=" + newPageCount + " of " + path + " must be in [1, " +
                "maxPages=" + maxPages + "]" + (newPageCount > maxPages ? "; open the store with " +
                "StoreOptions.withMaxPages to raise maxPages" : ""));
        }
        lock.lock();
        try
        {
            if (newPageCount > pageCount)
            {
                growLocked(newPageCount);
            }
            return pageCount;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Refills a writer's extent from the pool (see {@link ExtentAllocator#refill(Extent, long, long)}), growing the
     * store by a step whenever the pool has no run of {@code count} pages and the store may grow; at its maximum
     * size, takes back the free pages other writers hold in their extents ({@link ExtentAllocator#steal(Extent,
     * long, long)}).
     *
     * @param extent the calling writer's extent.
     * @param count  the pages wanted in one run.
     * @param pages  the pages wanted in all.
     * @return the pages now in the extent; 0 if the store holds no free run of {@code count} pages at
     *         {@code maxPages}.
     * @throws StoreFullException if the disk has no room to grow; the store stays healthy.
     */
    public long claim(final Extent extent, final long count, final long pages)
    {
        while (true)
        {
            final long observed = pageCount;
            final long claimed = allocator.refill(extent, count, pages);
            if (claimed > 0)
            {
                // The count now, not the one before the refill: a request from a count another growth has passed would
                // take the single request slot and grow nothing, dropping a valid request made meanwhile.
                growAheadIfLow(pageCount);
                return claimed;
            }
            // No free run of count pages: grow by a step, if the store may, and claim again (the new pages merge with
            // a free run at the old end, so a run of count pages can form across the boundary).
            if (!growFor(pages, observed))
            {
                return allocator.steal(extent, count, pages);
            }
        }
    }

    /**
     * Grows the store by one step, at least by {@code needed} pages, for a writer that found the free pool empty.
     *
     * @param needed   the pages the writer needs.
     * @param observed the page count the writer saw before its claim failed.
     * @return whether there are new pages to claim (grown here or by another thread since {@code observed}); false
     *         at {@code maxPages}.
     * @throws StoreFullException if the disk has no room for the new pages; the store stays healthy.
     */
    public boolean growFor(final long needed, final long observed)
    {
        if (observed >= maxPages)
        {
            // The growth that reached maxPages publishes the page count before it hands its pages to the pool (a
            // bounds check must admit them first), so a writer can see maxPages while those pages are not yet in the
            // pool. Wait for that growth to finish (it holds the lock throughout), so that the steal that follows
            // finds them; only a writer at maxPages with no run in the pool comes here.
            lock.lock();
            lock.unlock();
            return false;
        }
        lock.lock();
        try
        {
            final long current = pageCount;
            if (current != observed)
            {
                return true;
            }
            // At least what the writer asked for, unless maxPages is nearer: then up to maxPages, and the writer's
            // next claim finds the store at maxPages if that was still too little.
            final long target = Math.min(maxPages, current + Math.max(step(), needed));
            if (target <= current)
            {
                return false;
            }
            growLocked(target);
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits until no growth ahead is pending or running (or the store is closed): for tests and crash simulations that
     * need the page count to settle.
     */
    public void awaitGrowthAhead()
    {
        ahead.awaitIdle();
    }

    /**
     * {@return whether a growth ahead failed at the current page count, so that the writer that runs out will grow
     * synchronously and get the error}
     */
    public boolean growthAheadRefused()
    {
        return aheadRefusedAt == pageCount;
    }

    /**
     * Stops the growth-ahead thread, waiting for a growth in flight; called by the store's close after its lifecycle
     * is closed, before the file is. Nothing happens if the store never grew ahead.
     */
    public void close()
    {
        ahead.close();
    }

    /**
     * Asks the store's growth-ahead thread for a growth by one step when a refill left the pool with less than a
     * quarter of a step and an eighth of the store: the writers go on with what is left while that thread extends the
     * file and flushes the new metadata, instead of one writer stalling for the whole growth (and the others waiting
     * for it once the pool is empty). A writer that runs out meanwhile waits for that growth (on the growth lock) and
     * claims from it. No allocation here: a volatile compare-and-set and an unpark (the thread is made once).
     */
    private void growAheadIfLow(final long observed)
    {
        if (observed < maxPages && aheadRefusedAt != observed && allocator.poolPages() < Math.min(step() /
            AHEAD_FRACTION, observed / AHEAD_STORE_FRACTION))
        {
            ahead.request(observed);
        }
    }

    /**
     * The growth ahead, on its thread: one step from {@code observed}, unless another growth made room meanwhile. A
     * full disk or another I/O error that leaves the store healthy is not lost: the growth is not tried ahead again at
     * this size, and the writer that runs out grows synchronously and gets the exception itself. A failed flush or a
     * mapping fault has failed the store in {@link #growLocked(long)} (every later call throws); a closed store grows
     * nothing.
     */
    private void growAhead(final long observed)
    {
        lock.lock();
        try
        {
            if (pageCount == observed && observed < maxPages)
            {
                growLocked(Math.min(maxPages, observed + step()));
            }
        }
        catch (final RuntimeException ex)
        {
            if (Lifecycle.State.OPEN == lifecycle.state())
            {
                aheadRefusedAt = observed;
                LOG.warn("growth ahead of page store {} from pageCount={} failed; the writer that runs out of pages " +
                    "will grow it and get the error: {}", path, observed, ex.toString());
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private void growLocked(final long newPageCount)
    {
        lifecycle.checkOpen();
        final GrowthEvent event = new GrowthEvent();
        event.begin();
        final long oldPageCount = pageCount;
        final long newSize = StoreLayout.fileSizeFor(newPageCount);
        final long oldSize = file.size();
        if (newSize > oldSize)
        {
            extend(oldPageCount, newPageCount, oldSize, newSize);
        }
        final long oldGroups = MetadataPageDescriptor.metadataPagesFor(oldPageCount);
        final long newGroups = MetadataPageDescriptor.metadataPagesFor(newPageCount);
        try
        {
            if (newGroups > oldGroups)
            {
                writeEmptyGroups(oldGroups, newGroups);
                // Durable before any checkpoint names the new size: the new metadata pages and the file's new size.
                final long from = StoreLayout.metadataOffsetOf(0, oldGroups);
                io.flushRange(file, from, newSize - from);
            }
            else if (newSize > oldSize)
            {
                io.flushRange(file, oldSize - StoreLayout.PAGE_SIZE, newSize - oldSize + StoreLayout.PAGE_SIZE);
            }
        }
        catch (final IOException | MappingFaultException ex)
        {
            throw lifecycle.fail(ex);
        }
        table.grow(newPageCount);
        // Volatile write: the table covers the new pages before a bounds check or a checkpoint sees them.
        pageCount = newPageCount;
        final Runs added = new Runs();
        added.add(oldPageCount, newPageCount);
        allocator.append(added);
        event.end(path.toString(), oldPageCount, newPageCount, maxPages, file.size());
    }

    private void extend(final long oldPageCount, final long newPageCount, final long oldSize, final long newSize)
    {
        try
        {
            file.extend(newSize);
            PageCacheAdvice.apply(file, oldSize, newSize);
        }
        catch (final NativeCallException ex)
        {
            if (ENOSPC == ex.errno())
            {
                throw new StoreFullException("growing " + path + " from pageCount=" + oldPageCount + " to " +
                    newPageCount + " needs " + (newSize - oldSize) + " more bytes of disk, but only " +
                    usableSpace() + " bytes are available; the store keeps pageCount=" + oldPageCount +
                    " and stays usable: free pages, or make room on the disk and try again");
            }
            throw new UncheckedIOException("growing " + path + " to pageCount=" + newPageCount + " failed", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("growing " + path + " to pageCount=" + newPageCount + " failed", ex);
        }
    }

    private long usableSpace()
    {
        try
        {
            return Files.getFileStore(path).getUsableSpace();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private void writeEmptyGroups(final long fromGroup, final long toGroup)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        for (long group = fromGroup; group < toGroup; group++)
        {
            Arrays.fill(page, (byte)0);
            // Sequence 0: no checkpoint wrote it, so none counts it among the pages it wrote; both copies agree.
            MetadataPageDescriptor.seal(buffer, group, 0);
            io.writeAt(file, StoreLayout.metadataOffsetOf(0, group), page);
            io.writeAt(file, StoreLayout.metadataOffsetOf(1, group), page);
        }
    }
}
