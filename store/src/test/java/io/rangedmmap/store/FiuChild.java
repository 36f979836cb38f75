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
 * Prints {@code RUN i ...} per run, {@code DONE runs=N} at the end, and {@code FAIL ...} on the first violation.
 */
final class FiuChild
{
    private FiuChild()
    {
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
                final String outcome = run(file, random, () -> invokeDisable(disable, name));
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
