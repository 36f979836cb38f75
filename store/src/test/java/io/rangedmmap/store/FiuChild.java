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

import io.rangedmmap.store.StoreOracle.Snapshot;
import io.rangedmmap.store.internal.Formatter;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static io.rangedmmap.store.PageStoreTest.page;

/**
 * Child JVM of {@link FiuCrashTest}, started under {@code fiu-run -x -c "enable_random name=POINT,probability=P"}:
 * {@code DIR POINT P RUNS SEED} does RUNS runs, each: create a store (a failed create must leave no file), write and
 * checkpoint until a checkpoint fails, check that every later call throws {@link StoreFailedException}, close, turn
 * the failure point off (libfiu's {@code fiu_disable}, through FFM), reopen and check the oracle, turn it on again.
 * Every other run commits through group commit instead: {@value #GROUP_THREADS} threads each commit their own
 * pages concurrently until a flush fails; every caller of the failed group and every later call must fail, no call
 * may succeed after the first failure, and the reopened store holds every acknowledged page.
 * Prints {@code RUN i ...} per run, {@code DONE runs=N} at the end, and {@code FAIL ...} on the first violation.
 */
final class FiuChild
{
    private static final int GROUP_THREADS = 4;

    private FiuChild()
    {
    }

    private record Acked(long pageId, long seed, long sequence)
    {
    }

    /**
     * Group commit under injected flush errors: threads commit one or two pages each, concurrently, until each gets
     * the store's failure; then every later call must fail too.
     */
    private static String runGroup(final Path file, final Random random, final Runnable faultsOff) throws Exception
    {
        final PageStore store;
        try
        {
            store = PageStore.create(file, 256, StoreOptions.defaults().withExtentPages(4));
        }
        catch (final java.io.IOException ex)
        {
            faultsOff.run();
            check(!Files.exists(file), "a failed create left " + file + ": " + ex);
            return "create failed: " + ex.getClass().getSimpleName();
        }
        final java.util.concurrent.ConcurrentLinkedQueue<Acked> acked =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.ConcurrentLinkedQueue<Throwable> violations =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicLong firstFailedAfter = new java.util.concurrent.atomic.AtomicLong(-1);
        final java.util.concurrent.atomic.AtomicLong maxAcked = new java.util.concurrent.atomic.AtomicLong();
        final long seedBase = random.nextLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < GROUP_THREADS; t++)
        {
            final long threadSeeds = seedBase + ((long)t << 40);
            threads.add(Thread.ofPlatform().start(() ->
            {
                try (PageWriter writer = store.newWriter())
                {
                    for (int i = 0; i < 40; i++)
                    {
                        final Map<Long, Long> mine = new HashMap<>();
                        final List<PageReceipt> receipts = new ArrayList<>();
                        for (int k = 0; k < 1 + (i & 1); k++)
                        {
                            final long pageId = writer.allocate();
                            final long seed = threadSeeds + i * 2L + k;
                            receipts.add(writer.write(pageId, page(seed)));
                            mine.put(pageId, seed);
                        }
                        // Set once a caller got the store's failure: a call begun after that must fail too.
                        final boolean begunAfterAFailure = -1 != firstFailedAfter.get();
                        final Checkpoint checkpoint;
                        try
                        {
                            checkpoint = store.checkpoint(receipts);
                        }
                        catch (final StoreFailedException failed)
                        {
                            firstFailedAfter.compareAndSet(-1, maxAcked.get());
                            // Every later call fails too.
                            try
                            {
                                store.checkpoint(List.of());
                                violations.add(new AssertionError("a checkpoint succeeded after a failure"));
                            }
                            catch (final StoreFailedException expected)
                            {
                                // fail-stop
                            }
                            return;
                        }
                        if (begunAfterAFailure)
                        {
                            violations.add(new AssertionError("checkpoint " + checkpoint.sequence() +
                                " succeeded for a call begun after another caller got the store's failure"));
                        }
                        maxAcked.accumulateAndGet(checkpoint.sequence(), Math::max);
                        mine.forEach((page, seed) -> acked.add(new Acked(page, seed, checkpoint.sequence())));
                    }
                }
                catch (final StoreFailedException | StoreFullException ended)
                {
                    // allocate or write after the failure
                }
                catch (final IllegalStateException raced)
                {
                    // A write that passed the store's open check as another thread's flush failed the file: the
                    // mapping refuses it (PageWriter does not yet report this race as StoreFailedException).
                    if (!String.valueOf(raced.getMessage()).contains("has failed and refuses all writes"))
                    {
                        violations.add(raced);
                    }
                }
                catch (final Throwable ex)
                {
                    violations.add(ex);
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        if (!violations.isEmpty())
        {
            throw new AssertionError("group commit under injected errors", violations.peek());
        }
        final boolean failed = -1 != firstFailedAfter.get();
        store.close();
        faultsOff.run();
        try (PageStore reopened = PageStore.open(file))
        {
            final long sequence = reopened.lastCheckpoint();
            // The failed group's checkpoint may be whole in the page cache: at most one beyond the last acknowledged.
            check(sequence == maxAcked.get() || failed && sequence == maxAcked.get() + 1,
                "reopened at " + sequence + " but acknowledged " + maxAcked.get());
            final byte[] dst = new byte[PageStore.PAGE_SIZE];
            for (final Acked page : acked)
            {
                reopened.read(page.pageId(), dst);
                check(java.util.Arrays.equals(page(page.seed()), dst), "acknowledged page " + page + " differs");
            }
            check(sequence != maxAcked.get() || acked.size() == reopened.stats().livePages(),
                "live pages " + reopened.stats().livePages() + " but acknowledged " + acked.size());
            check(reopened.verify().isClean(), "verify after reopen");
            return "group " + (failed ? "failed" : "no failure") + " acked=" + maxAcked.get() + " reopened=" + sequence;
        }
    }

    @SuppressWarnings("restricted")
    public static void main(final String[] args) throws Throwable
    {
        final Path dir = Path.of(args[0]);
        final String point = args[1];
        final float probability = Float.parseFloat(args[2]);
        final int runs = Integer.parseInt(args[3]);
        final Random random = new Random(Long.parseLong(args[4]));
        final Linker linker = Linker.nativeLinker();
        final SymbolLookup fiu = SymbolLookup.libraryLookup("libfiu.so.0", Arena.global());
        final MethodHandle disable = linker.downcallHandle(fiu.find("fiu_disable").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        final MethodHandle enableRandom = linker.downcallHandle(fiu.find("fiu_enable_random").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT));
        final MemorySegment name = Arena.global().allocateFrom(point);
        try
        {
            for (int run = 0; run < runs; run++)
            {
                if (run > 0 && 0 != (int)enableRandom.invokeExact(name, 1, MemorySegment.NULL, 0, probability))
                {
                    throw new IllegalStateException("fiu_enable_random failed");
                }
                final Path file = dir.resolve("run-" + run + ".store");
                final Runnable faultsOff = () -> invokeDisable(disable, name);
                final String outcome = 1 == (run & 1) ? runGroup(file, random, faultsOff) :
                    run(file, random, faultsOff);
                System.out.println("RUN " + run + " " + outcome);
                Files.deleteIfExists(file);
            }
            System.out.println("DONE runs=" + runs);
        }
        catch (final Throwable ex)
        {
            System.out.println("FAIL " + ex);
            ex.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void invokeDisable(final MethodHandle disable, final MemorySegment name)
    {
        try
        {
            final int rc = (int)disable.invokeExact(name);
            if (0 != rc)
            {
                throw new IllegalStateException("fiu_disable failed");
            }
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String run(final Path file, final Random random, final Runnable faultsOff) throws Exception
    {
        PageStore store;
        try
        {
            store = PageStore.create(file, 64, StoreOptions.defaults().withExtentPages(4));
        }
        catch (final java.io.IOException ex)
        {
            faultsOff.run();
            check(!Files.exists(file), "a failed create left " + file + ": " + ex);
            check(Formatter.temporaryFiles(file).isEmpty(),
                "a failed create left its temporary file: " + ex);
            return "create failed: " + ex.getClass().getSimpleName();
        }
        Snapshot acked = Snapshot.empty();
        Snapshot started = null;
        StoreFailedException failure = null;
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        final PageWriter writer = store.newWriter();
        for (int checkpoint = 0; checkpoint < 20 && null == failure; checkpoint++)
        {
            final Map<Long, Long> added = new HashMap<>();
            final List<PageReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(3) && store.stats().freePages() > 8; i++)
            {
                final long pageId = writer.allocate();
                final long seed = random.nextLong();
                receipts.add(writer.write(pageId, page(seed)));
                added.put(pageId, seed);
            }
            final List<Long> frees = new ArrayList<>();
            if (!acked.pages().isEmpty() && random.nextBoolean())
            {
                final long victim = acked.pages().keySet().iterator().next();
                store.free(victim);
                frees.add(victim);
            }
            roots[checkpoint % PageStore.ROOT_SLOTS] = random.nextLong();
            store.setRoot(checkpoint % PageStore.ROOT_SLOTS, roots[checkpoint % PageStore.ROOT_SLOTS]);
            started = acked.next(added, frees, roots);
            try
            {
                store.checkpoint(receipts);
                acked = started;
                started = null;
            }
            catch (final StoreFailedException ex)
            {
                failure = ex;
            }
        }
        if (null != failure)
        {
            checkFailed(store, writer, failure, acked);
        }
        writer.close();
        store.close();
        faultsOff.run();
        try (PageStore reopened = PageStore.open(file))
        {
            final long sequence = reopened.lastCheckpoint();
            final Snapshot expected = sequence == acked.sequence() ? acked :
                null != started && sequence == started.sequence() ? started : null;
            check(null != expected, "reopened at " + sequence + " but acknowledged " + acked.sequence());
            StoreOracle.assertHolds(reopened, expected, null, file.toString());
            return (null == failure ? "no failure" : "failed") + " acked=" + acked.sequence() + " reopened=" + sequence;
        }
    }

    private static void checkFailed(final PageStore store, final PageWriter writer, final StoreFailedException failure,
        final Snapshot acked)
    {
        final Throwable cause = failure.getCause();
        check(null != cause, "no cause: " + failure);
        final List<Consumer<PageStore>> calls = List.of(
            s -> s.checkpoint(List.of()), PageStore::newWriter, PageStore::lastCheckpoint, PageStore::stats,
            PageStore::verify, s -> s.setRoot(0, 1), s -> s.root(0), s -> s.free(0),
            s -> s.read(acked.pages().isEmpty() ? 0 : acked.pages().keySet().iterator().next(),
                new byte[PageStore.PAGE_SIZE]),
            s -> writer.allocate());
        for (final Consumer<PageStore> call : calls)
        {
            try
            {
                call.accept(store);
                check(false, "a call succeeded on a failed store");
            }
            catch (final StoreFailedException ex)
            {
                check(cause == ex.getCause(), "later failure has another cause: " + ex.getCause());
            }
        }
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }
}
