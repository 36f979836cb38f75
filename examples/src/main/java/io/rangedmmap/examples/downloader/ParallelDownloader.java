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

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.CreateOption;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.mmap.WriteReceipt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
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
 * <p>How the bytes travel: for {@code http://} URLs, each connection is a {@link RangeConnection} whose socket
 * {@code read}s go straight into a {@code ByteBuffer} over the range's view of the mapping, on the thread inside the
 * range's {@code writeRange} callback: the kernel copies from the socket into the mapped pages, nothing else does.
 * For other schemes ({@code https://}), the {@code HttpClient} delivers each body as {@code ByteBuffer}s, which a
 * {@link RangeBodySubscriber} hands to the thread inside the callback, which copies each one into the view. A
 * {@link TrailingSha256} hashes the file while it downloads, following the contiguous prefix that has arrived.
 *
 * <p>How resuming stays correct: a chunk's index is appended to the journal ({@code <file>.parts}) only after its
 * whole body is in the mapping. The journal's header holds the kernel's boot id: a process crash ({@code kill -9})
 * keeps every byte that reached the mapping (the page cache belongs to the kernel), so on the same boot every
 * journalled chunk is there; after a reboot (a power loss may have dropped unflushed pages) the journal is not trusted
 * and everything is downloaded again. Nothing is flushed per chunk: the whole file is made durable once, by
 * {@code syncAll}, at the end, before the journal is deleted. Where no boot id can be read (not Linux), each chunk is
 * flushed ({@code flushRange}) and the journal forced before the chunk counts as done, as a power loss demands.
 */
public final class ParallelDownloader
{
    /**
     * The smallest chunk {@link #sizedToConnections(int)} makes: below it, per-request costs dominate.
     */
    public static final int MIN_CHUNK = 1 << 20;

    private static final long STALL_SECONDS = 60;

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final int JOURNAL_HEADER = 4 + 16;

    private final int connections;
    private final int chunkSize;
    private final boolean useHttpClient;

    /**
     * What a download did.
     *
     * @param length          bytes in the file.
     * @param chunks          chunks in the file.
     * @param resumedChunks   chunks found done in the journal and not downloaded again.
     * @param downloadedBytes bytes downloaded by this run.
     * @param sha256          SHA-256 of the file on disk, in hex.
     * @param nanos           time taken, all included.
     * @param downloadNanos   time until every byte was in the mapping (not yet durable; the SHA-256 may still be
     *                        running): what {@code aria2c}, which never syncs, counts as done.
     * @param durableNanos    time until the whole file was durable ({@code syncAll} returned).
     */
    public record Result(long length, int chunks, int resumedChunks, long downloadedBytes, String sha256, long nanos,
        long downloadNanos, long durableNanos)
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
        this(connections, chunkSize, false);
    }

    /**
     * Creates a downloader that may take the {@code HttpClient} path for {@code http://} URLs too (tests keep that
     * path, the one {@code https://} takes, covered against the loopback server).
     *
     * @param connections   concurrent requests.
     * @param chunkSize     bytes per request, as for the public constructor.
     * @param useHttpClient {@code true} to fetch every URL through the {@code HttpClient} and a
     *                      {@link RangeBodySubscriber}.
     */
    ParallelDownloader(final int connections, final int chunkSize, final boolean useHttpClient)
    {
        if (connections <= 0 || chunkSize < 0 || 0 != chunkSize % 4096)
        {
            throw new IllegalArgumentException("connections=" + connections + " must be > 0 and chunkSize=" +
                chunkSize + " 0 or a positive multiple of 4096");
        }
        this.connections = connections;
        this.chunkSize = chunkSize;
        this.useHttpClient = useHttpClient;
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
        final boolean plain = !useHttpClient && "http".equalsIgnoreCase(source.getScheme());
        // The HttpClient only where it is needed (https): loading it costs a cold JVM about half a second.
        final HttpClient client = plain ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final long length = plain ? plainContentLength(source) : contentLength(client, source);
        final Path journalPath = target.resolveSibling(target.getFileName() + ".parts");
        final long[] bootId = bootId();
        final boolean resume = Files.exists(target) && Files.exists(journalPath);
        final BitSet done = resume ? readJournal(journalPath, bootId) : new BitSet();
        if (!resume)
        {
            // A journal without its file describes nothing: start over.
            Files.deleteIfExists(journalPath);
        }
        final int size = resume ? journalChunkSize(journalPath, length) : chunkSizeFor(length);
        final int chunks = (int)((length + size - 1) / size);
        final int resumed = done.cardinality();
        if (!resume)
        {
            checkSpace(target, length);
        }
        // Sparse: reserving the blocks (posix_fallocate) took 0.65-0.85 s for 300 MiB on a loaded machine, more
        // than the transfer gained from it, and makes every block an unwritten extent the final flush must convert.
        // A full disk then shows as an IOException from a socket read (the kernel's copy into the mapping gets
        // EFAULT), or a MappingFaultException on the HttpClient path; checkSpace catches the obvious case first.
        try (Mapping<SequentialAllocator> mapping = resume ?
            MmapFile.open(target, AllocatorType.SEQUENTIAL) :
            MmapFile.create(target, length, AllocatorType.SEQUENTIAL, CreateOption.REPLACE_EXISTING,
                CreateOption.SPARSE);
            FileChannel journal = FileChannel.open(journalPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
        {
            if (mapping.file().size() != length)
            {
                throw new IOException("existing " + target + " has size=" + mapping.file().size() +
                    " but the source has length=" + length + ": delete it to start over");
            }
            // Rewritten whole: this run's boot id, then the chunks found done (still true on this boot).
            writeJournal(journal, size, bootId, done);
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
            final long downloadNanos;
            try
            {
                final Fetch fetch = new Fetch(source, client, mapping.file(), length, chunkProgress, downloaded,
                    journal, null == bootId);
                fetchAll(fetch, ranges, done);
                downloadNanos = System.nanoTime() - start;
                // The one flush: every chunk's pages, written once, go to disk together.
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
            final long durableNanos = System.nanoTime() - start;
            final String sha256 = hasher.await();
            Files.deleteIfExists(journalPath);
            return new Result(length, chunks, resumed, downloaded.get(), sha256, System.nanoTime() - start,
                downloadNanos, durableNanos);
        }
    }

    /**
     * What every chunk's fetch shares.
     *
     * @param source        the URL.
     * @param client        the {@code HttpClient} for non-{@code http} URLs, else {@code null}.
     * @param file          the mapped file.
     * @param length        the file's length.
     * @param chunkProgress bytes received per chunk (release stores, for the hasher).
     * @param downloaded    bytes received in all.
     * @param journal       the resume journal.
     * @param flushEach     flush each chunk and force the journal (no boot id to tell a reboot from a crash).
     */
    private record Fetch(URI source, HttpClient client, MmapFile file, long length, AtomicLongArray chunkProgress,
        AtomicLong downloaded, FileChannel journal, boolean flushEach)
    {
    }

    private void fetchAll(final Fetch fetch, final List<AllocatedRange> ranges, final BitSet done)
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
                    // One keep-alive connection per worker, for all the chunks it takes.
                    try (RangeConnection connection = null == fetch.client() ?
                        new RangeConnection(fetch.source(), STALL_SECONDS) : null)
                    {
                        int chunk;
                        while ((chunk = next.getAndIncrement()) < ranges.size())
                        {
                            if (!done.get(chunk))
                            {
                                final AllocatedRange range = ranges.get(chunk);
                                final WriteReceipt receipt = null == connection ?
                                    fetchWithClient(fetch, range, chunk) : fetchPlain(fetch, connection, range, chunk);
                                if (fetch.flushEach())
                                {
                                    fetch.file().flushRange(receipt);
                                }
                                markDone(fetch.journal(), chunk, fetch.flushEach());
                            }
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
            throw new IOException("download of " + fetch.source() + " failed: " + ex.getCause(), ex.getCause());
        }
    }

    private static long plainContentLength(final URI source) throws IOException
    {
        try (RangeConnection connection = new RangeConnection(source, STALL_SECONDS))
        {
            return connection.contentLength();
        }
    }

    private static long contentLength(final HttpClient client, final URI source)
        throws IOException, InterruptedException
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

    // reinterpret: a ByteBuffer over the range's view, used only inside the callback, while the view is valid.
    @SuppressWarnings("restricted")
    private static WriteReceipt fetchPlain(final Fetch fetch, final RangeConnection connection,
        final AllocatedRange range, final int chunk) throws IOException
    {
        try
        {
            // The range's pages faulted in writable by one madvise instead of one fault per 4 KiB page inside the
            // socket reads: measured 5-30% faster under load. A hint: where the kernel refuses it (before 5.14, or
            // ENOSPC on a sparse file), the reads fault the pages in themselves or fail with an IOException.
            fetch.file().advise(range, Advice.POPULATE_WRITE);
        }
        catch (final NativeCallException refused)
        {
            // Only a hint; see above.
        }
        try
        {
            // The socket reads land in the range's view, by this thread, which stays inside the callback (so the
            // view stays valid) until the whole body has arrived. A fault in a read is the kernel's (EFAULT, an
            // IOException), never the JVM's.
            return fetch.file().writeRange(range, view ->
            {
                final ByteBuffer target = MemorySegment.ofAddress(view.addressOffset()).reinterpret(view.capacity())
                    .asByteBuffer();
                try
                {
                    connection.get(range.start(), fetch.length(), target, (position, read) ->
                    {
                        // Release: the hasher's getAcquire of this slot then sees every byte read above.
                        fetch.chunkProgress().setRelease(chunk, position);
                        fetch.downloaded().addAndGet(read);
                    });
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }

    private static WriteReceipt fetchWithClient(final Fetch fetch, final AllocatedRange range, final int chunk)
        throws IOException
    {
        final URI source = fetch.source();
        final HttpRequest request = HttpRequest.newBuilder(source)
            .header("Range", "bytes=" + range.start() + "-" + (range.end() - 1)).build();
        try
        {
            // Zero-copy: the client's buffers are copied straight into the range's view, by this thread, which
            // stays inside the callback (so the view stays valid) until the whole body has arrived.
            return fetch.file().writeRange(range, view ->
            {
                final RangeBodySubscriber subscriber = new RangeBodySubscriber(range.toString(),
                    fetch.chunkProgress(), chunk, fetch.downloaded());
                boolean complete = false;
                try
                {
                    final HttpResponse<Void> response = fetch.client().sendAsync(request, info ->
                        206 == info.statusCode() ? subscriber : HttpResponse.BodySubscribers.replacing(null))
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
    }

    private static synchronized void markDone(final FileChannel journal, final int chunk, final boolean force)
        throws IOException
    {
        final ByteBuffer record = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, chunk);
        journal.write(record);
        if (force)
        {
            journal.force(false);
        }
    }

    private static void writeJournal(final FileChannel journal, final int chunkSize, final long[] bootId,
        final BitSet done) throws IOException
    {
        // The first record is the chunk size, negated so it can never be read as a chunk index: a resumed run must
        // cut the file into the same chunks as the run that wrote the journal. Then the boot id (zeros: none, and
        // every record was flushed before it was written), then one record per chunk done.
        final ByteBuffer records = ByteBuffer.allocate(JOURNAL_HEADER + 4 * done.cardinality())
            .order(ByteOrder.LITTLE_ENDIAN).putInt(-chunkSize)
            .putLong(null == bootId ? 0 : bootId[0]).putLong(null == bootId ? 0 : bootId[1]);
        done.stream().forEach(records::putInt);
        records.flip();
        while (records.hasRemaining())
        {
            journal.write(records);
        }
        // Not forced: where records are forced (no boot id), the first one forces this header with it; elsewhere the
        // journal is trusted on this boot only, where the page cache holds it.
    }

    private static void checkSpace(final Path target, final long length) throws IOException
    {
        final Path absolute = target.toAbsolutePath();
        final long usable = Files.getFileStore(absolute.getParent()).getUsableSpace();
        final long replaced = Files.exists(absolute) ? Files.size(absolute) : 0;
        if (usable + replaced < length)
        {
            throw new IOException("not enough space for " + target + ": length=" + length + " bytes but usable=" +
                usable + " bytes on its file system");
        }
    }

    private static int journalChunkSize(final Path journal, final long length) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(journal)).order(ByteOrder.LITTLE_ENDIAN);
        final int header = bytes.remaining() >= JOURNAL_HEADER ? bytes.getInt(0) : 0;
        if (header >= 0 || 0 != (-header) % 4096)
        {
            throw new IOException("journal " + journal + " starts with " + header + "; expected a negated chunk " +
                "size (a multiple of 4096) and a boot id: delete it and the file to start over");
        }
        if (-(long)header > Math.max(length, 4096))
        {
            throw new IOException("journal " + journal + " has chunkSize=" + -header + " above the length=" + length);
        }
        return -header;
    }

    private static BitSet readJournal(final Path journal, final long[] bootId) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(journal)).order(ByteOrder.LITTLE_ENDIAN);
        final BitSet done = new BitSet();
        if (bytes.remaining() < JOURNAL_HEADER)
        {
            // Reported by journalChunkSize.
            return done;
        }
        final long high = bytes.getLong(4);
        final long low = bytes.getLong(12);
        final boolean flushed = 0 == high && 0 == low;
        if (!flushed && (null == bootId || high != bootId[0] || low != bootId[1]))
        {
            // Written on another boot without flushing: a power loss may have dropped any of its chunks' pages.
            return done;
        }
        bytes.position(JOURNAL_HEADER);
        // A torn last record (killed mid-append) is shorter than 4 bytes and ignored.
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

    /**
     * {@return the kernel's boot id as two longs, or {@code null} where there is none to read}
     */
    static long[] bootId()
    {
        try
        {
            final UUID id = UUID.fromString(Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim());
            return new long[] {id.getMostSignificantBits(), id.getLeastSignificantBits()};
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            return null;
        }
    }
}
