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
package io.rangedmmap.benchmarks;

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.StoreOptions;
import io.rangedmmap.store.internal.Checkpointer;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.StoreSeams;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The measurements behind the one-flush checkpoint's choices (issue 14), in one run:
 * <ol>
 *     <li>which system call makes a one-page checkpoint durable fastest: {@code msync(MS_SYNC)} of the span (what the
 *     store does) or {@code fdatasync} of the whole file, on a file whose blocks were reserved by
 *     {@code posix_fallocate} (unwritten extents, what create does) or written with zeros;</li>
 *     <li>what a second flush costs against the checkpoint's size, for the one-flush threshold
 *     ({@link Checkpointer#ONE_FLUSH_MAX_PAGES});</li>
 *     <li>open time after a crash that left the largest one-flush checkpoint in flight (its pages must be read and
 *     checksummed), warm and with the file's pages dropped from the page cache, against a store whose last
 *     checkpoint names no page.</li>
 * </ol>
 * Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.CheckpointFlushProbe OUT_DIR [SECONDS]}; it writes
 * {@code flush-probe.md}.
 */
public final class CheckpointFlushProbe
{
    private static final int PAGES = 1 << 18;

    private CheckpointFlushProbe()
    {
    }

    /**
     * Runs the three measurements.
     *
     * @param args output directory, seconds per syscall variant (default 3).
     * @throws Exception on any failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path out = Files.createDirectories(Path.of(args[0]));
        final double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        final Path dir = Files.createTempDirectory("rangedmmap-flush-probe-");
        final StringBuilder md = new StringBuilder();
        try
        {
            syscalls(dir, seconds, md);
            threshold(dir, md);
            openTime(dir, md);
        }
        finally
        {
            CommitPeers.deleteRecursively(dir);
        }
        Files.writeString(out.resolve("flush-probe.md"), md.toString());
        System.out.println(md);
    }

    /**
     * The probe's seam: metadata and superblock written through the mapping (as before issue 14), flushes by
     * {@code msync} of the span or, given a channel, {@code fdatasync} of the whole file; each flush timed.
     */
    private static final class ProbeIo implements StoreIo
    {
        final List<Long> flushNanos = new ArrayList<>();
        private final FileChannel fdatasync;

        ProbeIo(final FileChannel fdatasync)
        {
            this.fdatasync = fdatasync;
        }

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
        {
            final long begin = System.nanoTime();
            if (null == fdatasync)
            {
                file.flushRange(offset, length);
            }
            else
            {
                fdatasync.force(false);
            }
            flushNanos.add(System.nanoTime() - begin);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException
        {
            StoreIo.DIRECT.syncDirectory(directory);
        }
    }

    private static PageStore open(final Path file, final StoreIo io) throws Exception
    {
        return StoreSeams.open(file, StoreOptions.defaults(), io);
    }

    private static void syscalls(final Path dir, final double seconds, final StringBuilder md) throws Exception
    {
        md.append("## One-page checkpoint by flush system call, metadata write and block state\n\n")
            .append("| flush | metadata and superblock written by | blocks | commits/s | p50 us | p99 us |\n")
            .append("|---|---|---|---|---|---|\n");
        final String[][] variants = {{"msync span", "fallocate", "mapping"}, {"msync span", "fallocate", "pwrite"},
            {"fdatasync", "fallocate", "mapping"}, {"msync span", "zero-written", "mapping"},
            {"msync span", "zero-written", "pwrite"}, {"fdatasync", "zero-written", "mapping"}};
        for (int round = 0; round < 2; round++)
        {
            for (final String[] variant : variants)
            {
                final Path file = dir.resolve("syscall.store");
                PageStore.create(file, 1 << 16).close();
                if ("zero-written".equals(variant[1]))
                {
                    zeroFill(file, 1 << 16);
                }
                // StoreIo.DIRECT is what the public open uses: pwrite for metadata and superblock, msync of the span.
                final FileChannel channel = "fdatasync".equals(variant[0]) ?
                    FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE) : null;
                final StoreIo io = null != channel ? new ProbeIo(channel) :
                    "pwrite".equals(variant[2]) ? StoreIo.DIRECT : new ProbeIo(null);
                final Histogram histogram = new Histogram(10_000_000_000L, 3);
                long commits = 0;
                final long begin;
                try (PageStore store = open(file, io); PageWriter writer = store.newWriter())
                {
                    final byte[] data = payload();
                    long previous = -1;
                    begin = System.nanoTime();
                    final long end = begin + (long)(seconds * 1e9);
                    while (System.nanoTime() < end)
                    {
                        final long start = System.nanoTime();
                        final PageReceipt receipt = writer.write(writer.allocate(), data);
                        store.checkpoint(List.of(receipt));
                        histogram.recordValue(System.nanoTime() - start);
                        if (previous >= 0)
                        {
                            store.free(previous);
                        }
                        previous = receipt.pageId();
                        commits++;
                    }
                }
                final double elapsed = (System.nanoTime() - begin) / 1e9;
                if (null != channel)
                {
                    channel.close();
                }
                Files.delete(file);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %.0f | %.0f |%n", variant[0],
                    variant[2], variant[1], commits / elapsed, histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0));
            }
        }
        md.append('\n');
    }

    /**
     * Writes zeros over the user pages of a closed store and flushes them, so that their blocks are written extents
     * (what the floor's setup does to its file).
     *
     * @param file      the store.
     * @param pageCount its user pages.
     * @throws IOException if a write or the flush fails.
     */
    static void zeroFill(final Path file, final long pageCount) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            // Only the user pages, which fill the end of the file: superblocks and metadata stay as create wrote them.
            final long dataStart = channel.size() - pageCount * PageStore.PAGE_SIZE;
            for (long position = dataStart; position < channel.size(); position += zeros.capacity())
            {
                zeros.clear();
                zeros.limit((int)Math.min(zeros.capacity(), channel.size() - position));
                StoreWriteBenchmark.writeFully(channel, zeros, position);
            }
            channel.force(false);
        }
    }

    private static void threshold(final Path dir, final StringBuilder md) throws Exception
    {
        md.append("## Flush time by checkpoint size (median of 15 checkpoints; one flush up to ")
            .append(Checkpointer.ONE_FLUSH_MAX_PAGES).append(" pages, two above)\n\n")
            .append("| pages | flushes | first flush us | second flush us | checkpoint us |\n|---|---|---|---|---|\n");
        final Path file = dir.resolve("threshold.store");
        PageStore.create(file, PAGES).close();
        final ProbeIo io = new ProbeIo(null);
        try (PageStore store = open(file, io); PageWriter writer = store.newWriter())
        {
            final byte[] data = payload();
            for (final int size : new int[]{1, 16, 64, 256, 257, 1024})
            {
                final long[] first = new long[15];
                final long[] second = new long[15];
                final long[] total = new long[15];
                int flushes = 0;
                for (int i = 0; i < 15; i++)
                {
                    final List<PageReceipt> receipts = new ArrayList<>();
                    for (int p = 0; p < size; p++)
                    {
                        receipts.add(writer.write(writer.allocate(), data));
                    }
                    io.flushNanos.clear();
                    total[i] = store.checkpoint(receipts).durationNanos();
                    flushes = io.flushNanos.size();
                    first[i] = io.flushNanos.getFirst();
                    second[i] = flushes > 1 ? io.flushNanos.get(1) : 0;
                    for (final PageReceipt receipt : receipts)
                    {
                        store.free(receipt.pageId());
                    }
                }
                md.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.0f |%n", size, flushes,
                    median(first) / 1000.0, median(second) / 1000.0, median(total) / 1000.0));
            }
        }
        Files.delete(file);
        md.append('\n');
    }

    private static void openTime(final Path dir, final StringBuilder md) throws Exception
    {
        md.append("## Open time of a ").append(PAGES).append("-page store (1 GiB) by its last checkpoint ")
            .append("(median of 7 opens)\n\n| last checkpoint | warm ms | file dropped from the page cache ms |\n")
            .append("|---|---|---|\n");
        final Path file = dir.resolve("open.store");
        PageStore.create(file, PAGES).close();
        final byte[] data = payload();
        for (final int size : new int[]{0, Checkpointer.ONE_FLUSH_MAX_PAGES, Checkpointer.ONE_FLUSH_MAX_PAGES + 1})
        {
            try (PageStore store = PageStore.open(file); PageWriter writer = store.newWriter())
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int p = 0; p < size; p++)
                {
                    receipts.add(writer.write(writer.allocate(), data));
                }
                // A crash with this checkpoint in flight leaves it as open finds it here: open verifies the newest
                // superblock whether or not its caller was told.
                store.checkpoint(receipts);
            }
            final long[] warm = new long[7];
            final long[] cold = new long[7];
            for (int i = 0; i < 7; i++)
            {
                long begin = System.nanoTime();
                PageStore.open(file).close();
                warm[i] = System.nanoTime() - begin;
                dropFromCache(file);
                begin = System.nanoTime();
                PageStore.open(file).close();
                cold[i] = System.nanoTime() - begin;
            }
            final String name = 0 == size ? "no page (empty checkpoint)" : size + " pages, " +
                (size <= Checkpointer.ONE_FLUSH_MAX_PAGES ? "one flush (pages verified at open)" :
                "two flushes (not read at open)");
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", name, median(warm) / 1e6,
                median(cold) / 1e6));
        }
        Files.delete(file);
        md.append('\n');
    }

    /**
     * {@code posix_fadvise(POSIX_FADV_DONTNEED)} over the whole file: its clean pages leave the page cache, as after
     * a power loss.
     */
    @SuppressWarnings("restricted")
    private static void dropFromCache(final Path file) throws IOException
    {
        try
        {
            fadviseDontNeed(file);
        }
        catch (final IOException ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IOException("posix_fadvise of " + file, ex);
        }
    }

    @SuppressWarnings("restricted")
    private static void fadviseDontNeed(final Path file) throws Throwable
    {
        final Linker linker = Linker.nativeLinker();
        final MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        final MethodHandle fadvise = linker.downcallHandle(linker.defaultLookup().find("posix_fadvise").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        final MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined())
        {
            final int fd = (int)open.invokeExact(arena.allocateFrom(file.toString()), 0);
            if (fd < 0)
            {
                throw new IOException("open " + file + " failed");
            }
            final int rc = (int)fadvise.invokeExact(fd, 0L, 0L, 4);
            final int ignored = (int)close.invokeExact(fd);
            if (0 != rc)
            {
                throw new IOException("posix_fadvise(DONTNEED) of " + file + " returned " + rc);
            }
        }
    }

    private static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static byte[] payload()
    {
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }
}
