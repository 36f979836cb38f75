package io.rangedmmap.examples.downloader;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.mmap.WriteReceipt;

import java.io.IOException;
import java.io.InputStream;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads a file over HTTP in concurrent ranged requests straight into an {@link MmapFile}, one range per
 * request, and resumes after being killed.
 *
 * <p>How resuming stays correct: a chunk counts as done only after its range was flushed ({@code flushRange}
 * returned) and its index was appended to the journal ({@code <file>.parts}) and the journal was forced. After a
 * crash, every chunk in the journal is on disk; every other chunk is downloaded again.
 */
public final class ParallelDownloader
{
    private static final int COPY_BUFFER = 64 * 1024;

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
     * @param nanos           time taken.
     */
    public record Result(long length, int chunks, int resumedChunks, long downloadedBytes, String sha256, long nanos)
    {
    }

    /**
     * Creates a downloader.
     *
     * @param connections concurrent requests.
     * @param chunkSize   bytes per request: a multiple of 4096.
     */
    public ParallelDownloader(final int connections, final int chunkSize)
    {
        if (connections <= 0 || chunkSize <= 0 || 0 != chunkSize % 4096)
        {
            throw new IllegalArgumentException("connections=" + connections + " must be > 0 and chunkSize=" +
                chunkSize + " a positive multiple of 4096");
        }
        this.connections = connections;
        this.chunkSize = chunkSize;
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
        final int chunks = (int)((length + chunkSize - 1) / chunkSize);
        final BitSet done = resume ? readJournal(journalPath) : new BitSet(chunks);
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
            // The sequential allocator hands the chunks out in order; done ones are simply not written again.
            final List<AllocatedRange> ranges = new ArrayList<>(chunks);
            for (int i = 0; i < chunks; i++)
            {
                ranges.add(mapping.allocator().allocate(chunkSize).orElseThrow());
            }
            final AtomicLong downloaded = new AtomicLong();
            final ProgressBar bar = null == progress ? null :
                ProgressBar.start(progress, length, (long)resumed * chunkSize, downloaded);
            try (ExecutorService pool = Executors.newFixedThreadPool(connections))
            {
                final AtomicInteger next = new AtomicInteger();
                final List<Future<?>> workers = new ArrayList<>();
                for (int c = 0; c < connections; c++)
                {
                    workers.add(pool.submit(() ->
                    {
                        int chunk;
                        while ((chunk = next.getAndIncrement()) < chunks)
                        {
                            if (!done.get(chunk))
                            {
                                fetch(source, mapping.file(), ranges.get(chunk), downloaded);
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
            catch (final java.util.concurrent.ExecutionException ex)
            {
                throw new IOException("download of " + source + " failed", ex.getCause());
            }
            finally
            {
                if (null != bar)
                {
                    bar.stop();
                }
            }
            mapping.file().syncAll();
            final String sha256 = sha256(mapping, ranges);
            Files.deleteIfExists(journalPath);
            return new Result(length, chunks, resumed, downloaded.get(), sha256, System.nanoTime() - start);
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

    private void fetch(final URI source, final MmapFile file, final AllocatedRange range, final AtomicLong downloaded)
        throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(source)
            .header("Range", "bytes=" + range.start() + "-" + (range.end() - 1)).build();
        final HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (206 != response.statusCode())
        {
            throw new IOException("GET " + source + " range " + range + " answered " + response.statusCode());
        }
        final WriteReceipt receipt;
        try (InputStream body = response.body())
        {
            // Zero-copy: the response body is copied straight into the range's view of the mapping.
            receipt = file.writeRange(range, view ->
            {
                final byte[] buffer = new byte[COPY_BUFFER];
                int position = 0;
                try
                {
                    int read;
                    while (position < view.capacity() &&
                        (read = body.read(buffer, 0, Math.min(buffer.length, view.capacity() - position))) > 0)
                    {
                        view.putBytes(position, buffer, 0, read);
                        position += read;
                        downloaded.addAndGet(read);
                    }
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                if (position != view.capacity())
                {
                    throw new UncheckedIOException(new IOException("range " + range + " ended after " + position +
                        " of " + view.capacity() + " bytes"));
                }
            });
        }
        file.flushRange(receipt);
    }

    private static synchronized void markDone(final FileChannel journal, final int chunk) throws IOException
    {
        final ByteBuffer record = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, chunk);
        journal.write(record);
        journal.force(false);
    }

    private static BitSet readJournal(final Path journal) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(journal)).order(ByteOrder.LITTLE_ENDIAN);
        final BitSet done = new BitSet();
        // A torn last record (killed mid-append) is shorter than 4 bytes and ignored.
        while (bytes.remaining() >= 4)
        {
            done.set(bytes.getInt());
        }
        return done;
    }

    private static String sha256(final Mapping<SequentialAllocator> mapping, final List<AllocatedRange> ranges)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (final AllocatedRange range : ranges)
            {
                mapping.file().readRange(range, view ->
                {
                    final byte[] buffer = new byte[COPY_BUFFER];
                    for (int at = 0; at < view.capacity(); at += buffer.length)
                    {
                        final int count = Math.min(buffer.length, view.capacity() - at);
                        view.getBytes(at, buffer, 0, count);
                        digest.update(buffer, 0, count);
                    }
                });
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
