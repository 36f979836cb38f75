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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.format.StoreLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.rangedmmap.store.PageStoreTest.page;

/**
 * Child JVM of {@link KillCrashTest}: {@code PATH LOG PHASE ROUND PAGECOUNT} opens the store, runs 8 writers and a
 * checkpointing thread until killed, and appends to LOG, forced before going on, {@code B seq roots adds frees} before
 * each checkpoint and {@code A seq} once it returned (WiredTiger's random_abort). With PHASE {@code data},
 * {@code between}, {@code metadata} or {@code superblock}, the checkpoint after a random number of them prints
 * {@code PHASE} at that point (after the checkpoint's one flush; before the metadata writes; before the flush; after
 * the superblock write, before the flush) and sleeps there, for the parent to kill it in that phase. With PHASE
 * {@code close}, after a random number of checkpoints it closes the store (a clean close) and pauses before a random
 * write or flush of that close, or after it (printing {@code PHASE close} or {@code PHASE closed}). With PHASE
 * {@code group}, each of the 8 writers commits its own one or two pages itself, concurrently (group commit), logging
 * {@code W thread page:seed,...} before its call and {@code A thread seq} once it returned (not forced: a kill -9 keeps
 * what reached the page cache).
 */
final class KillChild
{
    private static final int WRITERS = 8;

    private KillChild()
    {
    }

    /**
     * Pauses at the armed phase of a checkpoint; passes everything else through.
     */
    private static final class PausingIo implements StoreIo
    {
        private final String phase;
        private final long dataStart;
        private volatile boolean armed;
        private boolean metadataWritten;
        private int closeCallsLeft;

        PausingIo(final String phase, final long dataStart)
        {
            this.phase = phase;
            this.dataStart = dataStart;
        }

        void arm()
        {
            armed = true;
        }

        /**
         * Pauses before the {@code calls}-th write or flush from now on: those of a clean close (phase "close").
         */
        void armClose(final int calls)
        {
            closeCallsLeft = calls;
        }

        private void closeCall()
        {
            if (closeCallsLeft > 0 && 0 == --closeCallsLeft)
            {
                armed = true;
                pause("close");
            }
        }

        private void pause(final String at)
        {
            if (armed && phase.equals(at))
            {
                System.out.println("PHASE " + at);
                System.out.flush();
                try
                {
                    Thread.sleep(60_000);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            closeCall();
            if (offset < 2L * PageStore.PAGE_SIZE)
            {
                file.writeAt(offset, page);
                metadataWritten = false;
                pause("superblock");
                return;
            }
            if (!metadataWritten)
            {
                pause("between");
                metadataWritten = true;
            }
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
        {
            // The checkpoint's one flush of its data pages, metadata and superblock: "metadata" kills with all of
            // them written and nothing of this checkpoint flushed, "data" with all durable, before the return.
            closeCall();
            pause("metadata");
            file.flushRange(offset, length);
            if (offset + length > dataStart)
            {
                pause("data");
            }
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException
        {
            StoreIo.DIRECT.syncDirectory(directory);
        }
    }

    private record Written(PageReceipt receipt, long seed)
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[0]);
        final Path log = Path.of(args[1]);
        final String phase = args[2];
        final long round = Long.parseLong(args[3]);
        final Random random = new Random(round);
        final AtomicLong seeds = new AtomicLong(round << 32);
        final ConcurrentLinkedQueue<Written> queue = new ConcurrentLinkedQueue<>();
        final PausingIo io;
        final PageStore store;
        io = new PausingIo(phase, new StoreLayout(Long.parseLong(args[4])).dataOffset(0));
        // A sixth argument sets the growth step, for a store created with maxPages (it grows during the rounds).
        final StoreOptions options = StoreOptions.defaults().withExtentPages(4);
        store = PageStore.open(path, args.length > 5 ? options.withGrowthPages(Long.parseLong(args[5])) : options,
            io);
        if ("group".equals(phase))
        {
            groupCommits(store, log, round);
            return;
        }
        final List<Long> live = new ArrayList<>();
        final byte[] scratch = new byte[PageStore.PAGE_SIZE];
        for (long pageId = 0; pageId < store.pageCount(); pageId++)
        {
            try
            {
                store.read(pageId, scratch);
                live.add(pageId);
            }
            catch (final IllegalStateException free)
            {
                // not live
            }
        }
        for (int w = 0; w < WRITERS; w++)
        {
            Thread.ofPlatform().daemon().start(() -> write(store, queue, seeds, "discard".equals(phase)));
        }
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND))
        {
            System.out.println("READY checkpoint=" + store.lastCheckpoint());
            System.out.flush();
            final int armAfter = random.nextInt(4);
            for (int checkpoint = 0; ; checkpoint++)
            {
                if ("close".equals(phase) && checkpoint == armAfter + 1)
                {
                    // A clean close, killed before one of its writes and flushes (it makes the copies equal, flushes
                    // them, then marks the spare superblock and flushes it: about 4 to 8 calls), or after it.
                    io.armClose(1 + random.nextInt(8));
                    store.close();
                    System.out.println("PHASE closed");
                    System.out.flush();
                    Thread.sleep(60_000);
                    return;
                }
                if (checkpoint == armAfter)
                {
                    io.arm();
                }
                final StringBuilder adds = new StringBuilder();
                final List<PageReceipt> receipts = new ArrayList<>();
                Written written;
                while (null != (written = queue.poll()))
                {
                    receipts.add(written.receipt());
                    adds.append(written.receipt().pageId()).append(':').append(written.seed()).append(',');
                }
                final StringBuilder frees = new StringBuilder();
                final int freeCount = live.size() > 150 ? 1 + random.nextInt(30) : random.nextInt(2);
                for (int i = 0; i < freeCount && !live.isEmpty(); i++)
                {
                    final long victim = live.remove(random.nextInt(live.size()));
                    store.free(victim);
                    frees.append(victim).append(',');
                }
                final int slot = random.nextInt(PageStore.ROOT_SLOTS);
                final long value = random.nextLong();
                store.setRoot(slot, value);
                final long sequence = store.lastCheckpoint() + 1;
                append(channel, "B " + sequence + " " + slot + ":" + value + " " + adds + "- " + frees + "-\n");
                store.checkpoint(receipts);
                append(channel, "A " + sequence + "\n");
                for (final PageReceipt receipt : receipts)
                {
                    live.add(receipt.pageId());
                }
            }
        }
    }

    private static void groupCommits(final PageStore store, final Path log, final long round) throws Exception
    {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND))
        {
            for (int w = 0; w < WRITERS; w++)
            {
                final int thread = w;
                Thread.ofPlatform().daemon().start(() -> commitOwnPages(store, channel, thread, round));
            }
            System.out.println("READY checkpoint=" + store.lastCheckpoint());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    private static void commitOwnPages(final PageStore store, final FileChannel channel, final int thread,
        final long round)
    {
        final long seeds = (round << 32) | ((long)thread << 24);
        try (PageWriter writer = store.newWriter())
        {
            for (int i = 0; ; i++)
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                final StringBuilder line = new StringBuilder("W ").append(thread).append(' ');
                for (int k = 0; k < 1 + (i & 1); k++)
                {
                    final long pageId;
                    try
                    {
                        pageId = writer.allocate();
                    }
                    catch (final StoreFullException full)
                    {
                        Thread.sleep(60_000);
                        return;
                    }
                    final long seed = seeds + 2L * i + k;
                    receipts.add(writer.write(pageId, page(seed)));
                    line.append(k > 0 ? "," : "").append(pageId).append(':').append(seed);
                }
                write(channel, line.append('\n').toString());
                // The size before the call: the checkpoint records at least this many pages.
                final long pageCount = store.pageCount();
                final Checkpoint checkpoint = store.checkpoint(receipts);
                write(channel, "A " + thread + " " + checkpoint.sequence() + " " + pageCount + "\n");
            }
        }
        catch (final Exception ex)
        {
            ex.printStackTrace(System.out);
        }
    }

    private static void write(final FileChannel channel, final String line) throws IOException
    {
        // One write call per line, appended atomically: lines of different threads do not interleave.
        channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void append(final FileChannel channel, final String line) throws IOException
    {
        channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        channel.force(false);
    }

    /**
     * One writer: allocates and writes pages and queues their receipts for the checkpointing thread; with
     * {@code discarding}, it also aborts some pages, discarding one in four allocated pages unwritten and one in three
     * written ones, so that kills land during and after discards.
     */
    private static void write(final PageStore store, final ConcurrentLinkedQueue<Written> queue,
        final AtomicLong seeds, final boolean discarding)
    {
        try
        {
            writeUntilClosed(store, queue, seeds, discarding);
        }
        catch (final IllegalStateException closed)
        {
            // Phase "close": the store was closed under the writer. Quietly: the parent reads this JVM's output for
            // its PHASE line, which a stack trace on stderr could split.
        }
    }

    private static void writeUntilClosed(final PageStore store, final ConcurrentLinkedQueue<Written> queue,
        final AtomicLong seeds, final boolean discarding)
    {
        final PageWriter writer = store.newWriter();
        final Random random = new Random(seeds.get() + Thread.currentThread().threadId());
        while (true)
        {
            if (queue.size() > 32)
            {
                Thread.yield();
                continue;
            }
            final long pageId;
            try
            {
                pageId = writer.allocate();
            }
            catch (final StoreFullException ex)
            {
                LockSupport.parkNanos(200_000);
                continue;
            }
            if (discarding && 0 == random.nextInt(4))
            {
                writer.discard(pageId);
                continue;
            }
            final long seed = seeds.incrementAndGet();
            final PageReceipt receipt = writer.write(pageId, page(seed));
            if (discarding && 0 == random.nextInt(3))
            {
                writer.discard(receipt);
                continue;
            }
            queue.add(new Written(receipt, seed));
        }
    }
}
