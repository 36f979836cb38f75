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
package io.rangedmmap.examples.downloader;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.mmap.WriteReceipt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Downloads a file over HTTP in concurrent ranged requests straight into an {@link MmapFile}, one range per
 * request, and resumes after being killed.
 *
 * <p>How the bytes travel: each response body is delivered by the {@code HttpClient} as {@code ByteBuffer}s, which
 * a {@link RangeBodySubscriber} hands to the thread inside the range's {@code writeRange} callback, which copies each
 * one into the range's view of the mapping as it arrives (no {@code InputStream}, no intermediate array). A
 * {@link TrailingSha256} hashes the file while it downloads, following the contiguous prefix that has arrived.
 *
 * <p>How resuming stays correct: a chunk counts as done only after its range was flushed ({@code flushRange}
 * returned) and its index was appended to the journal ({@code <file>.parts}) and the journal was forced. After a
 * crash, every chunk in the journal is on disk; every other chunk is downloaded again.
 */
public final class ParallelDownloader
{
    /**
     * The smallest chunk {@link #sizedToConnections(int)} makes: below it, per-request costs dominate.
     */
    public static final int MIN_CHUNK = 1 << 20;

    private static final long STALL_SECONDS = 60;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int connections;
    private final int chunkSize;

    /**
     * What a download did.
     *
     * @param length          bytes in the file.
     * @param chunks          chunks in the file.
     * @param resumedChunks   chunks found done in the journal and not downloaded again.
     * @param downloadedBytes bytes downloaded by this run.
     * @param sha256          SHA-256 of the file on disk, in hex.
     * @param nanos           time taken, all included.
     * @param downloadNanos   time until every chunk was downloaded and flushed (the SHA-256 may still be running).
     */
    public record Result(long length, int chunks, int resumedChunks, long downloadedBytes, String sha256, long nanos,
        long downloadNanos)
    {
    }

    /**
     * Creates a downloader with a fixed chunk size.
     *
     * @param connections concurrent requests.
     * @param chunkSize   bytes per request: a multiple of 4096, or 0 to size chunks to the connections (see
     *                    {@link #sizedToConnections(int)}).
     */
    public ParallelDownloader(final int connections, final int chunkSize)
    {
        if (connections <= 0 || chunkSize < 0 || 0 != chunkSize % 4096)
        {
            throw new IllegalArgumentException("connections=" + connections + " must be > 0 and chunkSize=" +
                chunkSize + " 0 or a positive multiple of 4096");
        }
        this.connections = connections;
        this.chunkSize = chunkSize;
    }

    /**
     * {@return a downloader that splits each file into one chunk per connection (at least {@link #MIN_CHUNK}
     * bytes, rounded up to 4096), as {@code aria2c -x N -s N} does: N requests, each a long, steady stream}
     *
     * @param connections concurrent requests.
     */
    public static ParallelDownloader sizedToConnections(final int connections)
    {
        return new ParallelDownloader(connections, 0);
    }

    /**
     * {@return the chunk size used for a file of {@code length} bytes}
     *
     * @param length the file's length.
     */
    public int chunkSizeFor(final long length)
    {
        if (0 != chunkSize)
        {
            return chunkSize;
        }
        final long perConnection = (length + connections - 1) / connections;
        final long aligned = (Math.max(MIN_CHUNK, perConnection) + 4095) & ~4095L;
        return (int)Math.min(aligned, 1L << 30);
    }

    /**
     * Downloads {@code source} into {@code target}, resuming a download that was interrupted.
     *
     * @param source   an HTTP URL whose server supports {@code Range}.
     * @param target   the file to write.
     * @param progress where to draw the progress bar, or {@code null}.
     * @return what happened.
     * @throws IOException          if a request or the file fails.
     * @throws InterruptedException if interrupted.
     */
    public Result download(final URI source, final Path target, final PrintStream progress)
        throws IOException, InterruptedException
    {
        final long start = System.nanoTime();
        final long length = contentLength(source);
        final Path journalPath = target.resolveSibling(target.getFileName() + ".parts");
        final boolean resume = Files.exists(target) && Files.exists(journalPath);
        final BitSet done = resume ? readJournal(journalPath) : new BitSet();
        if (!resume)
        {
            // A journal without its file describes nothing: start over.
            Files.deleteIfExists(journalPath);
        }
        final int size = resume ? journalChunkSize(journalPath, length) : chunkSizeFor(length);
        final int chunks = (int)((length + size - 1) / size);
        final int resumed = done.cardinality();
        try (Mapping<SequentialAllocator> mapping = resume ?
            MmapFile.open(target, AllocatorType.SEQUENTIAL) :
            MmapFile.create(target, length, AllocatorType.SEQUENTIAL, io.rangedmmap.mmap.CreateOption.REPLACE_EXISTING);
            FileChannel journal = FileChannel.open(journalPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND))
        {
            if (mapping.file().size() != length)
            {
                throw new IOException("existing " + target + " has size=" + mapping.file().size() +
                    " but the source has length=" + length + ": delete it to start over");
            }
            if (!resume)
            {
                writeJournalHeader(journal, size);
            }
            // The sequential allocator hands the chunks out in order; done ones are simply not written again.
            final List<AllocatedRange> ranges = new ArrayList<>(chunks);
            final AtomicLongArray chunkProgress = new AtomicLongArray(chunks);
            for (int i = 0; i < chunks; i++)
            {
                final AllocatedRange range = mapping.allocator().allocate(size).orElseThrow();
                ranges.add(range);
                if (done.get(i))
                {
                    chunkProgress.set(i, range.length());
                }
            }
            final TrailingSha256 hasher = TrailingSha256.start(target, size, length, chunkProgress);
            final AtomicLong downloaded = new AtomicLong();
            final ProgressBar bar = null == progress ? null :
                ProgressBar.start(progress, length, (long)resumed * size, downloaded);
            try
            {
                fetchAll(source, mapping.file(), ranges, done, chunkProgress, downloaded, journal);
                mapping.file().syncAll();
            }
            catch (final IOException | InterruptedException | RuntimeException ex)
            {
                hasher.abort();
                throw ex;
            }
            finally
            {
                if (null != bar)
                {
                    bar.stop();
                }
            }
            final long downloadNanos = System.nanoTime() - start;
            final String sha256 = hasher.await();
            Files.deleteIfExists(journalPath);
            return new Result(length, chunks, resumed, downloaded.get(), sha256, System.nanoTime() - start,
                downloadNanos);
        }
    }

    private void fetchAll(final URI source, final MmapFile file, final List<AllocatedRange> ranges, final BitSet done,
        final AtomicLongArray chunkProgress, final AtomicLong downloaded, final FileChannel journal)
        throws IOException, InterruptedException
    {
        try (ExecutorService pool = Executors.newFixedThreadPool(connections))
        {
            final AtomicInteger next = new AtomicInteger();
            final List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < connections; c++)
            {
                workers.add(pool.submit(() ->
                {
                    int chunk;
                    while ((chunk = next.getAndIncrement()) < ranges.size())
                    {
                        if (!done.get(chunk))
                        {
                            fetch(source, file, ranges.get(chunk), chunk, chunkProgress, downloaded);
                            markDone(journal, chunk);
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> worker : workers)
            {
                worker.get();
            }
        }
        catch (final ExecutionException ex)
        {
            throw new IOException("download of " + source + " failed: " + ex.getCause(), ex.getCause());
        }
    }

    private long contentLength(final URI source) throws IOException, InterruptedException
    {
        final HttpResponse<Void> head = client.send(HttpRequest.newBuilder(source)
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (200 != head.statusCode())
        {
            throw new IOException("HEAD " + source + " answered " + head.statusCode());
        }
        return head.headers().firstValueAsLong("Content-Length")
            .orElseThrow(() -> new IOException("HEAD " + source + " gave no Content-Length"));
    }

    private void fetch(final URI source, final MmapFile file, final AllocatedRange range, final int chunk,
        final AtomicLongArray chunkProgress, final AtomicLong downloaded) throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(source)
            .header("Range", "bytes=" + range.start() + "-" + (range.end() - 1)).build();
        final WriteReceipt receipt;
        try
        {
            // Zero-copy: the client's buffers are copied straight into the range's view, by this thread, which
            // stays inside the callback (so the view stays valid) until the whole body has arrived.
            receipt = file.writeRange(range, view ->
            {
                final RangeBodySubscriber subscriber = new RangeBodySubscriber(range.toString(), chunkProgress, chunk,
                    downloaded);
                boolean complete = false;
                try
                {
                    final HttpResponse<Void> response = client.sendAsync(request, info -> 206 == info.statusCode() ?
                        subscriber : HttpResponse.BodySubscribers.replacing(null))
                        .get(STALL_SECONDS, TimeUnit.SECONDS);
                    if (206 != response.statusCode())
                    {
                        throw new IOException("GET " + source + " range " + range + " answered " +
                            response.statusCode() + "; expected 206 Partial Content");
                    }
                    subscriber.fill(view, STALL_SECONDS);
                    complete = true;
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new InterruptedIOException("interrupted during " + range));
                }
                catch (final ExecutionException ex)
                {
                    throw new UncheckedIOException(new IOException("GET " + source + " range " + range +
                        " failed: " + ex.getCause(), ex.getCause()));
                }
                catch (final TimeoutException ex)
                {
                    throw new UncheckedIOException(new IOException("GET " + source + " range " + range +
                        " gave no response in " + STALL_SECONDS + " s", ex));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                finally
                {
                    if (!complete)
                    {
                        subscriber.cancel();
                    }
                }
            });
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        file.flushRange(receipt);
    }

    private static synchronized void markDone(final FileChannel journal, final int chunk) throws IOException
    {
        final ByteBuffer record = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, chunk);
        journal.write(record);
        journal.force(false);
    }

    private static void writeJournalHeader(final FileChannel journal, final int chunkSize) throws IOException
    {
        // The first record is the chunk size, negated so it can never be read as a chunk index: a resumed run must
        // cut the file into the same chunks as the run that wrote the journal.
        final ByteBuffer record = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -chunkSize);
        journal.write(record);
        journal.force(false);
    }

    private static int journalChunkSize(final Path journal, final long length) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(journal)).order(ByteOrder.LITTLE_ENDIAN);
        final int header = bytes.remaining() >= 4 ? bytes.getInt(0) : 0;
        if (header >= 0 || 0 != (-header) % 4096)
        {
            throw new IOException("journal " + journal + " starts with " + header + "; expected a negated chunk " +
                "size (a multiple of 4096): delete it and the file to start over");
        }
        if (-(long)header > Math.max(length, 4096))
        {
            throw new IOException("journal " + journal + " has chunkSize=" + -header + " above the length=" + length);
        }
        return -header;
    }

    private static BitSet readJournal(final Path journal) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(journal)).order(ByteOrder.LITTLE_ENDIAN);
        final BitSet done = new BitSet();
        // A torn last record (killed mid-append) is shorter than 4 bytes and ignored; the header is negative.
        while (bytes.remaining() >= 4)
        {
            final int record = bytes.getInt();
            if (record >= 0)
            {
                done.set(record);
            }
        }
        return done;
    }
}
