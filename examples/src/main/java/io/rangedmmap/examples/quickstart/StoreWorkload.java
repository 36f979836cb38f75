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
package io.rangedmmap.examples.quickstart;

import io.rangedmmap.store.Checkpoint;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The quick start's workload on a {@link PageStore}: several writer threads allocate and write pages with no lock
 * and hand their receipts over a lock-free queue to the calling thread, which checkpoints whatever has arrived, again
 * and again, until every page is durable.
 *
 * <p><b>Thread safety:</b> {@link #run} is called by one thread, which becomes the checkpointer.
 */
public final class StoreWorkload
{
    /**
     * Told about each checkpoint once it returned, that is once it is durable.
     */
    @FunctionalInterface
    public interface Acknowledger
    {
        /**
         * Called by the checkpointer after {@code checkpoint} returned.
         *
         * @param checkpoint what the checkpoint made durable.
         * @param pages      the ids of the pages it made durable.
         */
        void acknowledged(Checkpoint checkpoint, long[] pages);
    }

    private StoreWorkload()
    {
    }

    /**
     * Runs {@code writers} threads that each write {@code pagesPerWriter} pages of {@link PageContent} while the
     * calling thread checkpoints them.
     *
     * @param store          an open store with room for {@code writers * pagesPerWriter} more pages.
     * @param writers        the number of writer threads.
     * @param pagesPerWriter pages each writer writes.
     * @param seed           the content's seed.
     * @param maxInFlight    pages written but not yet durable above which a writer waits for the checkpointer
     *                       ({@link Integer#MAX_VALUE}: never waits), as a server bounds the work it accepts.
     * @param acknowledger   told about each durable checkpoint.
     * @return the figures.
     * @throws InterruptedException if interrupted while waiting for the writers.
     * @throws RuntimeException     the first error of a writer or of a checkpoint.
     */
    public static Figures run(final PageStore store, final int writers, final long pagesPerWriter, final long seed,
        final int maxInFlight, final Acknowledger acknowledger) throws InterruptedException
    {
        final Queue<PageReceipt> receipts = new ConcurrentLinkedQueue<>();
        final Semaphore inFlight = new Semaphore(maxInFlight);
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long start = System.nanoTime();
        final List<Thread> threads = new ArrayList<>(writers);
        for (int w = 0; w < writers; w++)
        {
            threads.add(Thread.ofPlatform().name("page-writer-" + w).start(() ->
            {
                final byte[] page = new byte[PageStore.PAGE_SIZE];
                try (PageWriter writer = store.newWriter())
                {
                    for (long i = 0; i < pagesPerWriter && null == failure.get(); i++)
                    {
                        if (!acquire(inFlight, failure))
                        {
                            return;
                        }
                        final long pageId = writer.allocate();
                        PageContent.fill(seed, pageId, page);
                        receipts.add(writer.write(pageId, page));
                    }
                }
                catch (final InterruptedException | RuntimeException | Error ex)
                {
                    failure.compareAndSet(null, ex);
                }
                finally
                {
                    // Counted after the last receipt was queued: the checkpointer's exit test relies on that order.
                    finished.incrementAndGet();
                }
            }));
        }
        final long[] latencies = checkpointUntilDone(store, receipts, finished, writers, failure, inFlight,
            acknowledger);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final Throwable error = failure.get();
        if (null != error)
        {
            throw new IllegalStateException("the store workload failed: " + error, error);
        }
        return new Figures(writers * pagesPerWriter, System.nanoTime() - start, latencies);
    }

    /**
     * Takes one permit of {@code inFlight}, waiting in bounded steps: a failed committer releases nothing, and the
     * waiting writer must see the failure.
     *
     * @param inFlight the permits.
     * @param failure  set when the workload failed.
     * @return {@code true} with a permit taken, {@code false} if the workload failed meanwhile.
     * @throws InterruptedException if interrupted.
     */
    static boolean acquire(final Semaphore inFlight, final AtomicReference<Throwable> failure)
        throws InterruptedException
    {
        while (!inFlight.tryAcquire(10, TimeUnit.MILLISECONDS))
        {
            if (null != failure.get())
            {
                return false;
            }
        }
        return true;
    }

    private static long[] checkpointUntilDone(final PageStore store, final Queue<PageReceipt> receipts,
        final AtomicInteger finished, final int writers, final AtomicReference<Throwable> failure,
        final Semaphore inFlight, final Acknowledger acknowledger)
    {
        final List<PageReceipt> batch = new ArrayList<>();
        long[] latencies = new long[64];
        int count = 0;
        while (null == failure.get())
        {
            PageReceipt receipt;
            while (null != (receipt = receipts.poll()))
            {
                batch.add(receipt);
            }
            if (batch.isEmpty())
            {
                // Writers count themselves finished after their last receipt is queued, so an empty queue seen
                // after all have finished means every receipt was taken.
                if (finished.get() == writers && receipts.isEmpty())
                {
                    break;
                }
                LockSupport.parkNanos(50_000);
                continue;
            }
            final long before = System.nanoTime();
            final Checkpoint checkpoint;
            try
            {
                checkpoint = store.checkpoint(batch);
            }
            catch (final RuntimeException ex)
            {
                failure.compareAndSet(null, ex);
                break;
            }
            if (count == latencies.length)
            {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = System.nanoTime() - before;
            final long[] pages = new long[batch.size()];
            for (int i = 0; i < pages.length; i++)
            {
                pages[i] = batch.get(i).pageId();
            }
            acknowledger.acknowledged(checkpoint, pages);
            inFlight.release(pages.length);
            batch.clear();
        }
        return Arrays.copyOf(latencies, count);
    }
}
