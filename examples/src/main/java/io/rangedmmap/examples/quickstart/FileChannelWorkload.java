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

import io.rangedmmap.store.PageStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The same writes as {@link StoreWorkload} through one {@link FileChannel}, the baseline the quick start prints
 * beside the store: writer threads claim page slots with one atomic add and write them with positional
 * {@code write}s, and the calling thread commits what was written the way a hand-written store would: data
 * {@code force(false)}, then a header page naming the count and a second {@code force(false)}. No checksums, no
 * metadata table, no crash check: the floor, not a peer.
 *
 * <p><b>Thread safety:</b> {@link #run} is called by one thread, which becomes the committer.
 */
public final class FileChannelWorkload
{
    private FileChannelWorkload()
    {
    }

    /**
     * Writes {@code writers * pagesPerWriter} pages into a new file at {@code path} and commits them.
     *
     * @param path           the file to create.
     * @param writers        the number of writer threads.
     * @param pagesPerWriter pages each writer writes.
     * @param seed           the content's seed.
     * @param maxInFlight    pages written but not yet committed above which a writer waits for the committer.
     * @return the figures.
     * @throws IOException          if the file cannot be created or a commit fails.
     * @throws InterruptedException if interrupted while waiting for the writers.
     */
    public static Figures run(final Path path, final int writers, final long pagesPerWriter, final long seed,
        final int maxInFlight) throws IOException, InterruptedException
    {
        final Semaphore inFlight = new Semaphore(maxInFlight);
        final long total = writers * pagesPerWriter;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            // Preallocated like the store's file, so neither side pays for growing it.
            channel.write(ByteBuffer.wrap(new byte[1]), (total + 1) * PageStore.PAGE_SIZE - 1);
            channel.force(true);
            final AtomicLong nextSlot = new AtomicLong();
            final AtomicLong written = new AtomicLong();
            final AtomicInteger finished = new AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long start = System.nanoTime();
            final List<Thread> threads = new ArrayList<>(writers);
            for (int w = 0; w < writers; w++)
            {
                threads.add(Thread.ofPlatform().name("channel-writer-" + w).start(() ->
                {
                    final byte[] page = new byte[PageStore.PAGE_SIZE];
                    final ByteBuffer buffer = ByteBuffer.wrap(page);
                    try
                    {
                        for (long i = 0; i < pagesPerWriter && null == failure.get(); i++)
                        {
                            if (!StoreWorkload.acquire(inFlight, failure))
                            {
                                return;
                            }
                            final long slot = nextSlot.getAndIncrement();
                            PageContent.fill(seed, slot, page);
                            buffer.clear();
                            while (buffer.hasRemaining())
                            {
                                channel.write(buffer, (slot + 1) * PageStore.PAGE_SIZE + buffer.position());
                            }
                            written.incrementAndGet();
                        }
                    }
                    catch (final IOException | InterruptedException | RuntimeException ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        finished.incrementAndGet();
                    }
                }));
            }
            final long[] latencies = commitUntilDone(channel, written, total, finished, writers, failure, inFlight);
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (null != failure.get())
            {
                throw new IOException("the FileChannel workload failed: " + failure.get(), failure.get());
            }
            return new Figures(total, System.nanoTime() - start, latencies);
        }
    }

    private static long[] commitUntilDone(final FileChannel channel, final AtomicLong written, final long total,
        final AtomicInteger finished, final int writers, final AtomicReference<Throwable> failure,
        final Semaphore inFlight)
    {
        final ByteBuffer header = ByteBuffer.allocate(PageStore.PAGE_SIZE);
        long committed = 0;
        long[] latencies = new long[64];
        int count = 0;
        while (committed < total && null == failure.get())
        {
            final long upTo = written.get();
            if (upTo == committed)
            {
                if (finished.get() == writers && written.get() == committed)
                {
                    break;
                }
                LockSupport.parkNanos(50_000);
                continue;
            }
            final long before = System.nanoTime();
            try
            {
                channel.force(false);
                header.clear();
                header.putLong(0, upTo);
                channel.write(header, 0);
                channel.force(false);
            }
            catch (final IOException ex)
            {
                failure.compareAndSet(null, new UncheckedIOException(ex));
                break;
            }
            if (count == latencies.length)
            {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = System.nanoTime() - before;
            inFlight.release(Math.toIntExact(upTo - committed));
            committed = upTo;
        }
        return Arrays.copyOf(latencies, count);
    }
}
