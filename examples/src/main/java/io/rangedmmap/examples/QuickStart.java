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
package io.rangedmmap.examples;

import io.rangedmmap.examples.quickstart.ChildJvmCommand;
import io.rangedmmap.examples.quickstart.CrashChild;
import io.rangedmmap.examples.quickstart.FileChannelWorkload;
import io.rangedmmap.examples.quickstart.Figures;
import io.rangedmmap.examples.quickstart.PageContent;
import io.rangedmmap.examples.quickstart.StoreWorkload;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.VerifyReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The quick start: the page store's story in a few seconds. Several writer threads fill pages of a {@link PageStore}
 * with no lock while a checkpointer commits them; the same writes go through one {@code FileChannel} for
 * comparison; then a child JVM doing the same is killed with {@code kill -9} half-way, the store is reopened and
 * every page of every acknowledged checkpoint is checked byte for byte.
 *
 * <p>Run it with {@code mvn -q -pl examples -am package exec:exec -DskipTests}, or with
 * {@code java -jar examples/target/ranged-mmap-examples.jar [directory]} after a build.
 */
public final class QuickStart
{
    /**
     * Writer threads in each workload.
     */
    public static final int WRITERS = 4;

    /**
     * Pages each writer writes in the measured workloads: 4 x 2,048 pages of 4 KiB, 32 MiB in all.
     */
    public static final long PAGES_PER_WRITER = 2_048;

    /**
     * Pages written but not yet durable above which a writer waits, in every workload: 4 MiB, so each side makes
     * many commits of comparable size.
     */
    public static final int MAX_IN_FLIGHT = 1_024;

    private static final int ACKS_BEFORE_KILL = 8;
    private static final long CHILD_DEADLINE_SECONDS = 30;

    private QuickStart()
    {
    }

    /**
     * What the quick start found.
     *
     * @param store               the store workload's figures.
     * @param channel             the {@code FileChannel} workload's figures.
     * @param acknowledged        checkpoints the child acknowledged before it was killed.
     * @param lastAcknowledged    the highest sequence the child acknowledged.
     * @param acknowledgedPages   pages in those checkpoints.
     * @param reopenedAt          the checkpoint the reopened store is at.
     * @param pagesIdentical      acknowledged pages that read back byte for byte as written.
     * @param verify              {@link PageStore#verify()} of the reopened store.
     * @param nanos               the whole run.
     */
    public record Result(Figures store, Figures channel, int acknowledged, long lastAcknowledged,
        long acknowledgedPages, long reopenedAt, long pagesIdentical, VerifyReport verify, long nanos)
    {
    }

    /**
     * Entry point.
     *
     * @param args an optional directory for the files; a temporary one is used and deleted otherwise.
     * @throws Exception if anything fails or a check does not hold.
     */
    public static void main(final String[] args) throws Exception
    {
        // The store logs each open and close at INFO: the story reads better without them. Set before the first
        // logger is made, which is when slf4j-simple reads its settings.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        final boolean temporary = 0 == args.length;
        final Path dir = temporary ? Files.createTempDirectory("ranged-mmap-quickstart-") : Path.of(args[0]);
        try
        {
            run(dir, System.out);
        }
        finally
        {
            if (temporary)
            {
                try (Stream<Path> files = Files.walk(dir))
                {
                    for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    /**
     * Runs the quick start in {@code dir}, printing what happens to {@code out}.
     *
     * @param dir an existing directory, where {@code store.db}, {@code channel.bin} and {@code crash.db} are
     *            created.
     * @param out where to print.
     * @return what it found.
     * @throws Exception if anything fails, or an acknowledged page did not read back as written.
     */
    public static Result run(final Path dir, final PrintStream out) throws Exception
    {
        final long start = System.nanoTime();
        final long seed = ThreadLocalRandom.current().nextLong();
        final long pages = WRITERS * PAGES_PER_WRITER;
        out.printf(Locale.ROOT, "ranged-mmap quick start: %d writer threads, %,d pages of 4 KiB (%d MiB)%n", WRITERS,
            pages, pages * PageStore.PAGE_SIZE >> 20);

        out.println("1. PageStore: writers allocate and write pages with no lock; a checkpointer makes whatever " +
            "they wrote durable, again and again");
        out.println("2. FileChannel: the same writes with positional write(); each commit is force, header page, " +
            "force");
        // A short round of each first, so neither side's figures include class loading and the first compilations.
        measure(dir, "warm-up-", PAGES_PER_WRITER / 8, seed);
        final Figures[] figures = measure(dir, "", PAGES_PER_WRITER, seed);
        final Figures store = figures[0];
        final Figures channel = figures[1];
        printTable(out, store, channel);

        final Path crashStore = dir.resolve("crash.db");
        final BitSet acknowledgedPages = new BitSet();
        final AtomicLong lastAcknowledged = new AtomicLong();
        final int acknowledged = runChildAndKill(dir, crashStore, seed, acknowledgedPages, lastAcknowledged, out);

        try (PageStore reopened = PageStore.open(crashStore))
        {
            final long reopenedAt = reopened.lastCheckpoint();
            out.printf(Locale.ROOT, "4. reopened %s: at checkpoint %d (the child acknowledged up to %d)%n", crashStore,
                reopenedAt, lastAcknowledged.get());
            // The checkpoint in flight at the kill may have reached the disk whole; an older one never.
            if (reopenedAt < lastAcknowledged.get() || reopenedAt > lastAcknowledged.get() + 1)
            {
                throw new IllegalStateException("reopened at checkpoint " + reopenedAt + " but the child " +
                    "acknowledged " + lastAcknowledged.get() + ": expected " + lastAcknowledged.get() + " or one more");
            }
            final long identical = checkPages(reopened, acknowledgedPages, seed);
            out.printf(Locale.ROOT, "5. all %,d pages of the %d acknowledged checkpoints read back byte for byte as " +
                "written%n", identical, acknowledged);
            final VerifyReport verify = reopened.verify();
            if (!verify.isClean())
            {
                throw new IllegalStateException("verify found problems after the kill: " + verify);
            }
            out.printf(Locale.ROOT, "6. verify: %,d live pages match their CRC32C, metadata clean%n",
                verify.pagesChecked());
            final long nanos = System.nanoTime() - start;
            out.printf(Locale.ROOT, "Done in %.1f s: many writers, no lock, atomic checkpoints, nothing " +
                "acknowledged was lost.%n", nanos / 1e9);
            return new Result(store, channel, acknowledged, lastAcknowledged.get(), acknowledgedPages.cardinality(),
                reopenedAt, identical, verify, nanos);
        }
    }

    private static Figures[] measure(final Path dir, final String prefix, final long pagesPerWriter,
        final long seed) throws IOException, InterruptedException
    {
        final Path storePath = dir.resolve(prefix + "store.db");
        final Path channelPath = dir.resolve(prefix + "channel.bin");
        final Figures store;
        try (PageStore pageStore = PageStore.create(storePath, WRITERS * pagesPerWriter + MAX_IN_FLIGHT))
        {
            store = StoreWorkload.run(pageStore, WRITERS, pagesPerWriter, seed, MAX_IN_FLIGHT, (checkpoint, ids) ->
            {
            });
        }
        final Figures channel = FileChannelWorkload.run(channelPath, WRITERS, pagesPerWriter, seed, MAX_IN_FLIGHT);
        if (!prefix.isEmpty())
        {
            Files.delete(storePath);
            Files.delete(channelPath);
        }
        return new Figures[]{store, channel};
    }

    private static void printTable(final PrintStream out, final Figures store, final Figures channel)
    {
        out.printf(Locale.ROOT, "   %-12s %8s %9s %8s %12s %12s%n", "", "pages", "MiB/s", "commits",
            "commit p50", "commit p99");
        for (final Object[] row : List.of(new Object[]{"PageStore", store}, new Object[]{"FileChannel", channel}))
        {
            final Figures figures = (Figures)row[1];
            out.printf(Locale.ROOT, "   %-12s %,8d %9.1f %8d %9.2f ms %9.2f ms%n", row[0], figures.pages(),
                figures.mibPerSecond(PageStore.PAGE_SIZE), figures.commitNanos().length,
                figures.commitPercentile(50) / 1e6, figures.commitPercentile(99) / 1e6);
        }
        out.println("   (MiB/s from the first write to the last commit; FileChannel has no checksums, no metadata " +
            "and no crash check: a floor, not a store)");
    }

    private static int runChildAndKill(final Path dir, final Path crashStore, final long seed,
        final BitSet acknowledgedPages, final AtomicLong lastAcknowledged, final PrintStream out)
        throws IOException, InterruptedException
    {
        out.println("3. a child JVM runs the same workload on a new store and prints each checkpoint once it " +
            "returned; it is killed with kill -9 (SIGKILL) mid-way");
        final Path acks = dir.resolve("crash-child.acks");
        final Path log = dir.resolve("crash-child.log");
        final Process child = new ProcessBuilder(ChildJvmCommand.of(CrashChild.class, crashStore.toString(),
            Long.toString(seed), Integer.toString(WRITERS)))
            .redirectOutput(acks.toFile()).redirectError(log.toFile()).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_DEADLINE_SECONDS);
        final int killAfter = ACKS_BEFORE_KILL + ThreadLocalRandom.current().nextInt(ACKS_BEFORE_KILL);
        try (FileChannel ackFile = FileChannel.open(acks, StandardOpenOption.READ))
        {
            final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            int lines = 0;
            while (lines < killAfter)
            {
                if (!child.isAlive() || System.nanoTime() > deadline)
                {
                    child.destroyForcibly().waitFor();
                    throw new IllegalStateException("the child " + (System.nanoTime() > deadline ?
                        "made too little progress in " + CHILD_DEADLINE_SECONDS + " s" :
                        "ended early with exit code " + child.exitValue()) + " after " + lines +
                        " checkpoints: " + Files.readString(log));
                }
                chunk.clear();
                if (ackFile.read(chunk) <= 0)
                {
                    Thread.sleep(1);
                    continue;
                }
                for (int i = 0; i < chunk.position(); i++)
                {
                    lines += '\n' == chunk.get(i) ? 1 : 0;
                }
            }
        }
        // SIGKILL: no shutdown hook, no finally block, no close; whatever the child was doing stops there.
        child.destroyForcibly();
        child.waitFor();
        final int acknowledged = readAcks(acks, acknowledgedPages, lastAcknowledged);
        out.printf(Locale.ROOT, "   killed (exit %d) after %d acknowledged checkpoints, %,d pages%n",
            child.exitValue(), acknowledged, acknowledgedPages.cardinality());
        return acknowledged;
    }

    private static int readAcks(final Path acks, final BitSet acknowledgedPages, final AtomicLong last)
        throws IOException
    {
        int count = 0;
        for (final String line : Files.readAllLines(acks, StandardCharsets.US_ASCII))
        {
            final String[] parts = line.split(" ");
            // A line cut short by the kill has no "end": it acknowledges nothing.
            if (4 != parts.length || !"ack".equals(parts[0]) || !"end".equals(parts[3]))
            {
                continue;
            }
            for (final String id : parts[2].split(","))
            {
                acknowledgedPages.set(Math.toIntExact(Long.parseLong(id)));
            }
            last.set(Long.parseLong(parts[1]));
            count++;
        }
        return count;
    }

    private static long checkPages(final PageStore store, final BitSet pages, final long seed)
    {
        final byte[] expected = new byte[PageStore.PAGE_SIZE];
        final byte[] actual = new byte[PageStore.PAGE_SIZE];
        long identical = 0;
        for (int page = pages.nextSetBit(0); page >= 0; page = pages.nextSetBit(page + 1))
        {
            PageContent.fill(seed, page, expected);
            // read checks the page's CRC32C first; the comparison then checks every byte against what was written.
            store.read(page, actual);
            if (!Arrays.equals(expected, actual))
            {
                throw new IllegalStateException("page=" + page + " of an acknowledged checkpoint differs from what " +
                    "was written (first difference at byte " + Arrays.mismatch(expected, actual) + ")");
            }
            identical++;
        }
        return identical;
    }
}
