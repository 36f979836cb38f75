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
import io.rangedmmap.store.Checkpoint;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one owner of the store's checkpoints: the staged frees and root slots, the checks of the pages to commit and
 * their reservation against discards, the group commit that combines concurrent callers into one checkpoint, the
 * sequence and live count, and the publication of a durable checkpoint to the page table and the allocator.
 * {@link Checkpointer} writes and flushes each checkpoint.
 *
 * <p><b>Group commit.</b> A caller queues its request; if no checkpoint is running it becomes the leader: it takes
 * every queued request (its own among them), checks each, and runs one checkpoint for all that pass, with the frees
 * and roots staged so far. Callers arriving meanwhile queue up and wait; when the flush ends, one of them leads the
 * next group. So a caller waits for at most the flush running when it arrived plus its own. Asynchronous requests
 * with no blocked caller to lead them are led by one daemon thread, started at the first such request.
 *
 * <p><b>Gathering.</b> Without more, the groups alternate: the callers of one group return from its flush just after
 * the callers that arrived during it have started the next, so each group holds about half the writers. A leader
 * therefore first waits, briefly, for as many requests as were in flight at once when the last group ended (that
 * group plus those queued behind it): at most {@link #gatherBoundNanos(long)} of the last flush (a quarter, and never
 * more than {@link #MAX_GATHER_NANOS}), and not at all when that many are already queued, so never for a caller alone
 * (the wait of PostgreSQL's {@code commit_delay}, bounded by the flush it saves instead of a setting). A caller still
 * waits for at most one flush beyond its own, plus one such bounded wait.
 *
 * <p><b>Fail-stop.</b> If a group's flush fails, every request of the group gets the error and the store fails;
 * requests queued later get the store's failure.
 *
 * <p><b>Thread safety:</b> all methods from any thread. {@code lock} guards the queue and the leader flag;
 * {@code runLock} is held by the leader while a checkpoint runs (verify and close take it to wait for one).
 */
public final class CheckpointCoordinator
{
    // The store's own category: a clean close's messages are its close's.
    private static final Logger LOG = LoggerFactory.getLogger("io.rangedmmap.store.PageStore");

    private final String name;
    private final PageTable table;
    private final LiveCrcs liveCrcs;
    private final SnapshotRegistry snapshots;
    private final ExtentAllocator counts;
    private final Checkpointer checkpointer;
    private final Lifecycle lifecycle;
    private final PopulatedPages populated;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /**
     * Signalled when a gathering leader's target is queued.
     */
    private final Condition joined = lock.newCondition();
    private final ReentrantLock runLock = new ReentrantLock();
    private final ArrayDeque<Request> pending = new ArrayDeque<>();
    private final LongArrayList stagedFrees = new LongArrayList();
    private final AtomicLongArray roots;
    private final LongHashSet groupPages = new LongHashSet();
    /**
     * The pages of the checkpoint calls in flight, from the check in the caller's thread until the call completes;
     * its monitor orders them against {@link #discard(int, int)}.
     */
    private final LongHashSet reserved = new LongHashSet();
    private volatile InFlight inFlight;
    private boolean running;
    /**
     * Under {@code lock}: whether the leader is gathering, and for how many queued requests.
     */
    private boolean gathering;
    private int gatherTarget;
    /**
     * Under {@code lock}: how many requests were in flight at once when the last group ended (its own and those
     * queued behind it), the target of the next leader's gathering.
     */
    private int lastConcurrency;
    /**
     * The duration of the last group's checkpoint: written by its leader outside {@code lock}, read by the next leader
     * under it after the first leader took it again to end its group (the lock orders the two).
     */
    private long lastFlushNanos;
    /**
     * Under {@code lock}: how many leaders waited, and the most any waited beyond its bound (timer and scheduling
     * lateness), for the tests.
     */
    private long gatherWaits;
    // Written by the leader running a group, before it takes the lock again to hand the results over; read under it.
    private long callsOvertaken;
    private long gatherOverrunNanos;
    private int blockedWaiting;
    private ExecutorService leaderThread;
    private volatile long lastCheckpoint;
    private volatile long livePages;

    /**
     * Writes discarded so far: part of the write stamp, so that a page discarded and written again before the next
     * checkpoint gets a stamp its discarded receipt does not carry.
     */
    private final AtomicLong discards = new AtomicLong();

    /**
     * The most a leader waits for more requests before its checkpoint: 1 ms.
     */
    public static final long MAX_GATHER_NANOS = 1_000_000L;

    /**
     * The part of the last checkpoint's duration a leader may wait for more requests: one in four.
     */
    private static final int GATHER_FRACTION = 4;

    /**
     * Creates the coordinator of an open store.
     *
     * @param name         the store, for messages.
     * @param table        the page table.
     * @param liveCrcs     the CRC32C of live pages, told of each checkpoint published.
     * @param snapshots    the open snapshots, told of each durable checkpoint; they hand its frees to the allocator.
     * @param counts       the allocator, told the page counts of each durable checkpoint before its frees.
     * @param checkpointer writes each checkpoint.
     * @param lifecycle    the store's lifecycle, failed by a failed flush.
     * @param populated    the pages faulted in writable, forgotten after each checkpoint's flush.
     * @param sequence     the sequence of the durable checkpoint the store opened at.
     * @param livePages    its live page count.
     * @param roots        its root slots.
     */
    public CheckpointCoordinator(final String name, final PageTable table, final LiveCrcs liveCrcs,
        final SnapshotRegistry snapshots,
        final ExtentAllocator counts, final Checkpointer checkpointer, final Lifecycle lifecycle,
        final PopulatedPages populated, final long sequence, final long livePages, final long[] roots)
    {
        this.populated = populated;
        this.name = name;
        this.table = table;
        this.liveCrcs = liveCrcs;
        this.snapshots = snapshots;
        this.counts = counts;
        this.checkpointer = checkpointer;
        this.lifecycle = lifecycle;
        this.lastCheckpoint = sequence;
        this.livePages = livePages;
        this.roots = new AtomicLongArray(roots);
    }

    /**
     * {@return the metadata pages in which the two copies may differ: those the next checkpoint rewrites in the
     * other copy though it changes nothing in them}; for an incremental backup into a store no one else writes, and
     * verify. Under {@code runLock}, as the checkpoints: after an open that did not compare the copies, the first call
     * compares them and records the result where the checkpoints keep theirs.
     */
    public long[] staleTablePages()
    {
        runLock.lock();
        try
        {
            return checkpointer.staleTablePages();
        }
        finally
        {
            runLock.unlock();
        }
    }

    /**
     * Gives up marking the store closed cleanly (see {@link Checkpointer#forgoCleanClose}): called before something
     * other than the checkpoints writes its metadata (an incremental backup into it).
     */
    public void forgoCleanClose()
    {
        runLock.lock();
        try
        {
            checkpointer.forgoCleanClose();
        }
        finally
        {
            runLock.unlock();
        }
    }

    /**
     * {@return the longest a leader waits for more requests after a checkpoint that took {@code lastFlushNanos}: a
     * quarter of it, at most {@link #MAX_GATHER_NANOS}}
     *
     * @param lastFlushNanos the duration of the last checkpoint; none yet is 0.
     */
    public static long gatherBoundNanos(final long lastFlushNanos)
    {
        return Math.min(Math.max(0, lastFlushNanos) / GATHER_FRACTION, MAX_GATHER_NANOS);
    }

    /**
     * {@return how many leaders waited for more requests before their checkpoint}
     */
    public long gatherWaits()
    {
        lock.lock();
        try
        {
            return gatherWaits;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@return how many calls got a checkpoint later than the one after the checkpoint in flight when they queued}:
     * the contract is that a caller waits at most for the flush in flight and then its own, so this stays 0; kept
     * here, where a call queues, because a caller cannot read the checkpoint in flight and queue in one step
     */
    public long callsOvertaken()
    {
        lock.lock();
        try
        {
            return callsOvertaken;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@return the most any leader waited beyond {@link #gatherBoundNanos(long)}: the lateness of its wake-up}
     */
    public long gatherOverrunNanos()
    {
        lock.lock();
        try
        {
            return gatherOverrunNanos;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@return the sequence of the last durable checkpoint}
     */
    public long lastCheckpoint()
    {
        return lastCheckpoint;
    }

    /**
     * {@return the number of live pages at the last durable checkpoint}
     */
    public long livePages()
    {
        return livePages;
    }

    /**
     * What the running checkpoint holds, for the crash tests' oracle.
     *
     * @param sequence its sequence.
     * @param pages    the pages it makes live, ascending.
     * @param frees    the pages it frees, ascending.
     * @param roots    the root slots it records.
     */
    public record InFlight(long sequence, long[] pages, long[] frees, long[] roots)
    {
    }

    /**
     * {@return the checkpoint being written and flushed now, or {@code null}}
     */
    public InFlight inFlight()
    {
        return inFlight;
    }

    /**
     * Moves a live page to FREEING and stages its free for the next checkpoint, for {@code PageStore.free}.
     *
     * @param pageId the page, in bounds.
     * @throws IllegalStateException if the page is not LIVE (free, allocated, written, or already freed).
     */
    public void free(final long pageId)
    {
        final int word = table.freeing(pageId);
        if (PageTable.LIVE != word)
        {
            throw new IllegalStateException("page=" + pageId + " of " + name + " cannot be freed: it is " +
                PageTable.nameOf(word) + (PageTable.FREEING == PageTable.stateOf(word) ? " (already freed)" : "") +
                "; only pages live in a completed checkpoint can be freed");
        }
        stageFree(pageId);
    }

    /**
     * Stages the free of a page the caller moved from LIVE to FREEING, for the next checkpoint.
     *
     * @param pageId the page.
     */
    public void stageFree(final long pageId)
    {
        synchronized (stagedFrees)
        {
            stagedFrees.addLong(pageId);
        }
    }

    /**
     * Sets a root slot for the next checkpoint.
     *
     * @param slot  the slot, checked by the caller.
     * @param value its value.
     */
    public void setRoot(final int slot, final long value)
    {
        roots.set(slot, value);
    }

    /**
     * {@return the value last set in a root slot}
     *
     * @param slot the slot, checked by the caller.
     */
    public long root(final int slot)
    {
        return roots.get(slot);
    }

    /**
     * Checks, in the caller's thread, that a receipt proves the page's current write (its write stamp and CRC32C),
     * and that this write is in no completed checkpoint yet. A discarded write is no longer the page's: the page is
     * free, or holds a later write, whose stamp differs (discards count in the stamp).
     *
     * @param page   the receipt's page, in bounds.
     * @param stamp  the write stamp it carries.
     * @param crc32c the CRC32C it carries.
     * @return the page's state word, for {@link #reserve(long[], int[])}.
     * @throws IllegalArgumentException if the receipt is stale.
     * @throws IllegalStateException    if its write is already in a completed checkpoint.
     */
    public int checkWrite(final long page, final int stamp, final int crc32c)
    {
        final long current = currentWrite(page);
        final int word = wordOf(current);
        final int crc = crcOf(current);
        if (!PageTable.holdsWrite(word, stamp) || crc != crc32c)
        {
            throw new IllegalArgumentException("receipt for page=" + page + " of " + name + " is stale: " +
                "it proves a write (stamp=" + stamp + ", crc32c=0x" + Integer.toHexString(crc32c) +
                ") that is no longer the page's: it was discarded, or checkpointed and freed since (the page is now " +
                PageTable.nameOf(word) + "); pass only receipts of writes neither checkpointed nor discarded");
        }
        if (PageTable.WRITTEN != PageTable.stateOf(word))
        {
            throw new IllegalStateException("page=" + page + " of " + name + " is " +
                PageTable.nameOf(word) + ", expected WRITTEN: its receipt is already in a completed checkpoint");
        }
        return word;
    }

    /**
     * Reserves the pages of one checkpoint call, checked in the caller's thread, until the call completes: from now
     * on a discard of these pages is refused. A page discarded first is refused here instead: whichever of a discard
     * and a checkpoint call carrying the same write takes this coordinator's reservation monitor first wins, so a
     * page is never both freed and made live.
     *
     * @param pages the pages of the receipts, in any order; sorted on return.
     * @param words the state word each receipt proves (WRITTEN with its write stamp), in the order of {@code pages}.
     * @throws IllegalArgumentException if a page appears twice.
     * @throws IllegalArgumentException if a page no longer holds the write its receipt proves (it was discarded
     *                                  while the call checked it).
     * @throws IllegalStateException    if a page is in another checkpoint call in flight.
     */
    public void reserve(final long[] pages, final int[] words)
    {
        synchronized (reserved)
        {
            for (int i = 0; i < pages.length; i++)
            {
                if (table.stateAcquire(pages[i]) != words[i])
                {
                    throw new IllegalArgumentException("receipt for page=" + pages[i] + " of " + name + " was " +
                        "discarded while the checkpoint call checked it (the page is now " +
                        PageTable.nameOf(table.stateAcquire(pages[i])) + "); a discarded write can never be " +
                        "checkpointed");
                }
                if (reserved.contains(pages[i]))
                {
                    throw new IllegalStateException("page=" + pages[i] + " of " + name + " is in another " +
                        "checkpoint call in flight; a receipt is checkpointed once");
                }
            }
            for (int i = 0; i < pages.length; i++)
            {
                if (!reserved.add(pages[i]))
                {
                    for (int j = 0; j < i; j++)
                    {
                        reserved.remove(pages[j]);
                    }
                    throw new IllegalArgumentException("page=" + pages[i] + " appears twice in receipts");
                }
            }
        }
        Arrays.sort(pages);
    }

    /**
     * Frees a written page whose receipt its writer discards, unless a checkpoint call holds it (see
     * {@link #discard(long, int)}), and first counts the discard in the write stamp.
     *
     * @param page the page.
     * @param word the state word its receipt proves.
     * @return whether the page still had {@code word} and is now FREE; the caller gives it to the allocator.
     * @throws IllegalStateException if a checkpoint call in flight holds the page.
     */
    public boolean discardWritten(final long page, final int word)
    {
        // Before the page can be claimed again: its next write reads the new count in writeStamp (the pool's lock
        // orders the two), so that write gets a stamp the discarded receipt does not carry.
        discards.getAndIncrement();
        return discard(page, word);
    }

    /**
     * {@return the write stamp of a write made now: the last checkpoint's sequence plus the discards so far}
     */
    public int writeStamp()
    {
        return PageTable.stampOf(lastCheckpoint + discards.get());
    }

    /**
     * Frees a WRITTEN page that no checkpoint call holds, for {@code PageWriter.discard}: the other side of
     * {@link #reserve(long[], int[])}.
     *
     * @param page the page.
     * @param word the state word the discarded receipt proves (WRITTEN with its write stamp).
     * @return whether the page still had {@code word} and is now FREE; the caller gives it to the allocator.
     * @throws IllegalStateException if a checkpoint call in flight holds the page: that call makes it live.
     */
    public boolean discard(final long page, final int word)
    {
        synchronized (reserved)
        {
            if (reserved.contains(page))
            {
                throw new IllegalStateException("page=" + page + " of " + name + " cannot be discarded: it is " +
                    "WRITTEN and in a checkpoint call in flight, which makes it live; free it once that checkpoint " +
                    "returned");
            }
            // The monitor keeps every checkpoint from making the page live meanwhile, and only its owner, in this
            // call, frees it otherwise: the check and the change need no compare-and-set.
            if (table.stateAcquire(page) != word)
            {
                return false;
            }
            table.discarded(page);
            return true;
        }
    }

    /**
     * Makes the pages durable, with every free and root staged so far, in the next checkpoint, and returns it once
     * durable. Blocks; the caller may lead the group.
     *
     * @param pages the pages, sorted and reserved by {@link #reserve(long[], int[])}; released when this returns.
     * @return the checkpoint that holds them.
     * @throws IllegalStateException                    if a page is meanwhile in another checkpoint or call, or the
     *                                                  store is closed.
     * @throws io.rangedmmap.store.StoreFailedException if the store has failed, or the group's flush fails.
     */
    public Checkpoint commit(final long[] pages)
    {
        final Request request = new Request(pages, null);
        lock.lock();
        try
        {
            request.durableWhenQueued = lastCheckpoint;
            pending.addLast(request);
            blockedWaiting++;
            signalIfGathered();
            while (!request.done)
            {
                if (running)
                {
                    finished.awaitUninterruptibly();
                }
                else
                {
                    lead();
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        if (null != request.error)
        {
            throw request.error;
        }
        return request.result;
    }

    /**
     * Like {@link #commit(long[])} without blocking: the future completes when the checkpoint is durable, or
     * exceptionally with what {@code commit} would throw.
     *
     * @param pages the pages, sorted and reserved by {@link #reserve(long[], int[])}; released when it completes.
     * @return the future checkpoint.
     */
    public CompletableFuture<Checkpoint> commitAsync(final long[] pages)
    {
        final Request request = new Request(pages, new CompletableFuture<>());
        lock.lock();
        try
        {
            request.durableWhenQueued = lastCheckpoint;
            pending.addLast(request);
            signalIfGathered();
            if (!running && 0 == blockedWaiting)
            {
                startLeaderThread();
            }
        }
        finally
        {
            lock.unlock();
        }
        return request.future;
    }

    /**
     * Runs {@code action} while no checkpoint runs (verify).
     *
     * @param action what to run.
     * @param <T>    its result.
     * @return its result.
     */
    public <T> T whileIdle(final Supplier<T> action)
    {
        runLock.lock();
        try
        {
            return action.get();
        }
        finally
        {
            runLock.unlock();
        }
    }

    /**
     * Waits for a running checkpoint, marks the store closed cleanly if it never failed (see
     * {@link Checkpointer#closeClean}), runs {@code closeFile}, and stops the leader thread; the lifecycle is already
     * CLOSED, so queued requests fail with {@link IllegalStateException}.
     *
     * @param closeFile closes the file.
     */
    public void close(final Runnable closeFile)
    {
        runLock.lock();
        try
        {
            closeClean();
            closeFile.run();
        }
        finally
        {
            runLock.unlock();
        }
        lock.lock();
        try
        {
            // Requests queued after the last group: the store is closed, nobody will lead them.
            failQueued();
            if (null != leaderThread)
            {
                leaderThread.shutdown();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Marks the store closed cleanly unless it failed: with {@code runLock} held, so no checkpoint runs and the last
     * one's outcome is known. Its own failure only costs the next open the comparison of the two copies.
     */
    private void closeClean()
    {
        if (null != lifecycle.failure())
        {
            return;
        }
        try
        {
            checkpointer.closeClean(lastCheckpoint);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("page store {}: the clean close was not recorded (its next open compares both metadata copies, " +
                "as after a crash); nothing durable was lost", name, ex);
        }
    }

    /**
     * Leads one group: called with {@code lock} held and no group running; returns with it held.
     */
    private void lead()
    {
        running = true;
        gather();
        final List<Request> group = new ArrayList<>(pending);
        pending.clear();
        for (final Request request : group)
        {
            if (null == request.future)
            {
                blockedWaiting--;
            }
        }
        lock.unlock();
        try
        {
            runLock.lock();
            try
            {
                runGroup(group);
            }
            finally
            {
                runLock.unlock();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            for (final Request request : group)
            {
                if (!request.done && null == request.error)
                {
                    request.error = ex instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
                }
            }
            if (ex instanceof Error error)
            {
                throw error;
            }
        }
        finally
        {
            lock.lock();
            running = false;
            lastConcurrency = group.size() + pending.size();
            for (final Request request : group)
            {
                // Published (live) or refused: the pages may be discarded again only in the second case.
                release(request.pages);
                request.done = true;
            }
            if (!pending.isEmpty() && 0 == blockedWaiting)
            {
                startLeaderThread();
            }
            finished.signalAll();
            // Futures complete outside the lock and after the leader flag is down: their callbacks may checkpoint.
            lock.unlock();
            try
            {
                for (final Request request : group)
                {
                    request.complete();
                }
            }
            finally
            {
                lock.lock();
            }
        }
    }

    /**
     * Waits, with {@code lock} held and the leader flag up (arrivals queue behind this leader), until as many
     * requests are queued as were in flight when the last group ended, or the bound passes; not at all when they
     * already are, which is always the case for a caller alone.
     */
    private void gather()
    {
        final int target = lastConcurrency;
        final long bound = gatherBoundNanos(lastFlushNanos);
        if (pending.size() >= target || 0 == bound)
        {
            return;
        }
        gathering = true;
        gatherTarget = target;
        final long start = System.nanoTime();
        try
        {
            long left = bound;
            // awaitNanos releases lock: the requests arriving meanwhile queue up, and the one reaching the target
            // signals joined.
            while (left > 0 && pending.size() < target)
            {
                left = joined.awaitNanos(left);
            }
        }
        catch (final InterruptedException ex)
        {
            // The wait is only an optimisation: run the checkpoint now, and keep the interrupt for the caller.
            Thread.currentThread().interrupt();
        }
        finally
        {
            gathering = false;
            gatherWaits++;
            gatherOverrunNanos = Math.max(gatherOverrunNanos, System.nanoTime() - start - bound);
        }
    }

    /**
     * Wakes a gathering leader once its target is queued; called with {@code lock} held after queueing a request.
     */
    private void signalIfGathered()
    {
        if (gathering && pending.size() >= gatherTarget)
        {
            joined.signal();
        }
    }

    private void runGroup(final List<Request> group)
    {
        try
        {
            lifecycle.checkOpen();
        }
        catch (final RuntimeException ex)
        {
            for (final Request request : group)
            {
                request.error = ex;
            }
            return;
        }
        final long[] pages = groupPages(group);
        if (group.stream().allMatch(request -> null != request.error))
        {
            // Every call was refused: no checkpoint is due to any caller.
            return;
        }
        final long[] frees;
        synchronized (stagedFrees)
        {
            frees = stagedFrees.toLongArray();
            stagedFrees.clear();
        }
        Arrays.sort(frees);
        final long[] rootValues = new long[roots.length()];
        for (int i = 0; i < rootValues.length; i++)
        {
            rootValues[i] = roots.get(i);
        }
        final long sequence = lastCheckpoint + 1;
        final long live = livePages + pages.length - frees.length;
        final int[] freeCrcs = new int[frees.length];
        final Checkpoint checkpoint;
        inFlight = new InFlight(sequence, pages, frees, rootValues);
        final long started = System.nanoTime();
        try
        {
            checkpoint = checkpointer.run(sequence, pages, frees, rootValues, live, freeCrcs);
            lastFlushNanos = System.nanoTime() - started;
        }
        catch (final IOException | MappingFaultException ex)
        {
            failGroup(group, lifecycle.fail(ex));
            return;
        }
        catch (final UncheckedIOException ex)
        {
            // A metadata or superblock pwrite failed (disk full, I/O error).
            failGroup(group, lifecycle.fail(ex.getCause()));
            return;
        }
        finally
        {
            inFlight = null;
            // The flush wrote back, and write-protected, whatever dirty pages its span held: a failed one too.
            populated.clear();
        }
        try
        {
            publish(sequence, pages, frees, freeCrcs);
        }
        catch (final RuntimeException ex)
        {
            // The checkpoint is durable but not published here (the snapshots' tracking refused it): the next one would
            // reuse its sequence and overwrite it. Fail-stop, as after a failed flush.
            failGroup(group, lifecycle.fail(ex));
            return;
        }
        // Under the pool's lock, after the page states and before snapshots.checkpointed hands the frees to the
        // pool: a sum of the counts (stats) sees this checkpoint whole or not at all, and a freed page counted by a
        // writer is no longer counted live.
        counts.checkpointed(pages.length, live);
        livePages = live;
        // Volatile write: a caller that reads lastCheckpoint after its commit returned sees this one or later.
        lastCheckpoint = sequence;
        // Frees reach the allocator only here, once no open snapshot can still see them.
        snapshots.checkpointed(sequence, rootValues, frees);
        for (final Request request : group)
        {
            if (null == request.error)
            {
                request.result = checkpoint;
                // The checkpoint in flight when it queued is at most durableWhenQueued + 1; its own the one after.
                callsOvertaken += sequence > request.durableWhenQueued + 2 ? 1 : 0;
            }
        }
    }

    /**
     * Checks each request of the group again (another call may have committed or claimed its pages since it was
     * checked in its caller's thread) and merges the pages of those that pass, ascending.
     */
    private long[] groupPages(final List<Request> group)
    {
        if (1 == group.size())
        {
            final Request only = group.getFirst();
            try
            {
                for (final long page : only.pages)
                {
                    checkWritten(page);
                }
                return only.pages;
            }
            catch (final RuntimeException ex)
            {
                only.error = ex;
                return new long[0];
            }
        }
        groupPages.clear();
        int total = 0;
        for (final Request request : group)
        {
            try
            {
                for (final long page : request.pages)
                {
                    checkWritten(page);
                    if (groupPages.contains(page))
                    {
                        throw new IllegalStateException("page=" + page + " of " + name + " is in another " +
                            "checkpoint call of the same group; a receipt is checkpointed once");
                    }
                }
                for (final long page : request.pages)
                {
                    groupPages.add(page);
                }
                total += request.pages.length;
            }
            catch (final RuntimeException ex)
            {
                request.error = ex;
            }
        }
        final long[] pages = new long[total];
        int count = 0;
        for (final Request request : group)
        {
            if (null == request.error)
            {
                System.arraycopy(request.pages, 0, pages, count, request.pages.length);
                count += request.pages.length;
            }
        }
        Arrays.sort(pages);
        return pages;
    }

    private void checkWritten(final long page)
    {
        final int word = table.stateAcquire(page);
        if (PageTable.WRITTEN != PageTable.stateOf(word))
        {
            throw new IllegalStateException("page=" + page + " of " + name + " is " + PageTable.nameOf(word) +
                ", expected WRITTEN: its receipt is already in a completed checkpoint");
        }
    }

    private void release(final long[] pages)
    {
        synchronized (reserved)
        {
            for (final long page : pages)
            {
                reserved.remove(page);
            }
        }
    }

    private static void failGroup(final List<Request> group, final RuntimeException error)
    {
        for (final Request request : group)
        {
            request.error = error;
        }
    }

    private void publish(final long sequence, final long[] pages, final long[] frees, final int[] freeCrcs)
    {
        // Before readers take CRCs from the new copy, where the frees' entries are cleared: a snapshot that still sees
        // a freed page finds its CRC recorded.
        snapshots.published(sequence, pages, frees, freeCrcs);
        // Before the states: a reader that sees a page made LIVE here (acquire) takes its CRC from the copy that holds
        // it. Partner of the seqlock reads in LiveCrcs.
        liveCrcs.beginPublish(sequence);
        try
        {
            for (final long page : pages)
            {
                // A receipt of this write is told apart from a stale one by its CRC32C from now on (see checkWrite).
                table.madeLive(page);
            }
            for (final long page : frees)
            {
                table.freed(page);
            }
        }
        finally
        {
            // Whatever happens: a seqlock left open would make every read of a corrupt page read again for ever.
            liveCrcs.endPublish(sequence);
        }
    }

    /**
     * {@return a page's current write: its state word and the CRC32C of its bytes, packed; take them apart with
     * {@link #wordOf(long)} and {@link #crcOf(long)}}: the CRC32C from the page's tag while WRITTEN, from its
     * metadata entry once LIVE or FREEING, 0 in any other state. Both are loaded again while a checkpoint publishes
     * meanwhile or the state changes between them (the page made live and its tag given back, freed and its entry
     * cleared), so the two always belong to one write.
     *
     * @param page the page, in bounds.
     */
    public long currentWrite(final long page)
    {
        while (true)
        {
            // Before the state: partner of the seqlock in LiveCrcs.
            final long published = liveCrcs.stamp();
            // Acquire: partner of the releases in PageTable.written, which publish the CRC and stamp with the state.
            final int word = table.stateAcquire(page);
            final int state = PageTable.stateOf(word);
            final int crc;
            if (PageTable.WRITTEN == state)
            {
                crc = table.writtenCrc(page);
            }
            else
            {
                crc = PageTable.LIVE == state || PageTable.FREEING == state ? liveCrcs.crc(page) : 0;
            }
            if (table.stateAcquire(page) == word && liveCrcs.unchangedSince(published))
            {
                return (long)word << Integer.SIZE | (crc & 0xFFFF_FFFFL);
            }
            // A checkpoint is publishing (a few microseconds) or the page moved: read again.
            Thread.onSpinWait();
        }
    }

    /**
     * {@return the state word of a write from {@link #currentWrite(long)}}
     *
     * @param write the packed write.
     */
    public static int wordOf(final long write)
    {
        return (int)(write >>> Integer.SIZE);
    }

    /**
     * {@return the CRC32C of a write from {@link #currentWrite(long)}}
     *
     * @param write the packed write.
     */
    public static int crcOf(final long write)
    {
        return (int)write;
    }

    /**
     * Starts a group on the leader thread, for queued asynchronous requests no blocked caller will lead; called with
     * {@code lock} held.
     */
    private void startLeaderThread()
    {
        if (null == leaderThread)
        {
            leaderThread = Executors.newSingleThreadExecutor(task ->
            {
                final Thread thread = new Thread(task, "page-store-commit " + name);
                thread.setDaemon(true);
                return thread;
            });
        }
        try
        {
            leaderThread.execute(() ->
            {
                lock.lock();
                try
                {
                    if (!running && !pending.isEmpty())
                    {
                        lead();
                    }
                }
                finally
                {
                    lock.unlock();
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            // Closed: the requests fail with the lifecycle's exception.
            failQueued();
        }
    }

    /**
     * Fails the queued requests with the lifecycle's exception once the store is not open; called with {@code lock}
     * held.
     */
    private void failQueued()
    {
        if (pending.isEmpty())
        {
            return;
        }
        RuntimeException error;
        try
        {
            lifecycle.checkOpen();
            return;
        }
        catch (final RuntimeException ex)
        {
            error = ex;
        }
        final List<Request> failed = new ArrayList<>(pending);
        pending.clear();
        for (final Request request : failed)
        {
            if (null == request.future)
            {
                blockedWaiting--;
            }
            request.error = error;
            release(request.pages);
            request.done = true;
        }
        finished.signalAll();
        for (final Request request : failed)
        {
            request.complete();
        }
    }

    /**
     * One call's pages and its outcome; {@code done} is written and read under {@code lock}, the outcome before it.
     */
    private static final class Request
    {
        private final long[] pages;
        private final CompletableFuture<Checkpoint> future;
        private Checkpoint result;
        private RuntimeException error;
        private boolean done;
        // The last durable checkpoint when it queued; written and read under the coordinator's lock.
        private long durableWhenQueued;

        private Request(final long[] pages, final CompletableFuture<Checkpoint> future)
        {
            this.pages = pages;
            this.future = future;
        }

        private void complete()
        {
            if (null == future)
            {
                return;
            }
            if (null != error)
            {
                future.completeExceptionally(error);
            }
            else
            {
                future.complete(result);
            }
        }
    }
}
