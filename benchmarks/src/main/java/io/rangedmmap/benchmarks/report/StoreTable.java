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
package io.rangedmmap.benchmarks.report;

import java.io.IOException;
import java.util.Optional;

/**
 * The issue-3 table: {@code StoreWriteBenchmark}, {@code CheckpointBenchmark} and {@code StoreOpenBenchmark} from
 * JMH JSON results, with each ratio against its target. Figures are medians over measurement iterations.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.report.StoreTable OUT.md RESULT.json...};
 * prints the table and writes it to {@code OUT.md}.
 */
public final class StoreTable
{
    private static final String WRITE = "StoreWriteBenchmark";
    private static final String CHECKPOINT = "CheckpointBenchmark";
    private static final String OPEN = "StoreOpenBenchmark";
    private static final long[] STORE_SIZES = {64L << 20, 4L << 30};

    private StoreTable()
    {
    }

    /**
     * Prints the table and writes it to a file.
     *
     * @param args the Markdown file to write, then the JMH JSON result files.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        Results.writeReport("StoreTable", args, StoreTable::render);
    }

    /**
     * Renders the issue-3 report.
     *
     * @param results the results.
     * @return the Markdown text.
     */
    static String render(final Results results)
    {
        final Verdicts verdicts = new Verdicts();
        final StringBuilder out = new StringBuilder();
        out.append("# Page store (issue 3)\n\nJDK ").append(results.jvm()).append(".\n\n");
        writes(results, verdicts, out);
        checkpoints(results, verdicts, out);
        opens(results, out);
        out.append(verdicts.summary());
        return out.toString();
    }

    private static void writes(final Results results, final Verdicts verdicts, final StringBuilder out)
    {
        if (results.of(WRITE).isEmpty())
        {
            return;
        }
        out.append("## Page writes, GiB/s of 4 KiB pages over all writers (higher is better)\n\n")
            .append("`PageWriter.write` of pre-allocated pages against `MmapFile.writeRange` of 4 KiB ranges, pages ")
            .append("mapped writable before each iteration on both sides (`StoreWriteBenchmark`). Target: ")
            .append("pageStore / writeRange >= 0.80 (within 20%).\n\n")
            .append("| writers | pageStore | writeRange | pageStore / writeRange |\n|---:|---:|---:|---:|\n");
        for (final int threads : new int[]{1, 2})
        {
            final String suffix = 1 == threads ? "OneThread" : "TwoThreads";
            final Optional<Results.Entry> store = results.find(WRITE, "pageStore" + suffix, threads);
            final Optional<Results.Entry> ranges = results.find(WRITE, "writeRange" + suffix, threads);
            out.append("| ").append(threads).append(" | ").append(gib(store)).append(" | ").append(gib(ranges))
                .append(" | ");
            if (store.isPresent() && ranges.isPresent())
            {
                final double ratio = ranges.get().nanosPerOp() / store.get().nanosPerOp();
                out.append(verdicts.mark(Verdicts.fixed(ratio, 2), ratio >= 0.80));
            }
            else
            {
                out.append('-');
            }
            out.append(" |\n");
        }
        out.append('\n');
    }

    private static void checkpoints(final Results results, final Verdicts verdicts, final StringBuilder out)
    {
        if (results.of(CHECKPOINT).isEmpty())
        {
            return;
        }
        out.append("## Checkpoint, microseconds per checkpoint (lower is better)\n\n")
            .append("`PageStore.checkpoint` of freshly written pages against the floor done by hand on a mapped ")
            .append("file of the same size: msync of the same data run, then of one metadata page, then of one ")
            .append("superblock page (`CheckpointBenchmark`). Target: checkpoint / floor <= 1.3.\n\n")
            .append("| pages | store size | checkpoint | floor | checkpoint / floor |\n|---:|---:|---:|---:|---:|\n");
        for (final String pages : new String[]{"1", "64", "4096"})
        {
            for (final long size : STORE_SIZES)
            {
                final Optional<Results.Entry> store =
                    results.find(CHECKPOINT, "checkpoint", 1, "pages", pages, "storeSize", Long.toString(size));
                final Optional<Results.Entry> floor =
                    results.find(CHECKPOINT, "floor", 1, "pages", pages, "storeSize", Long.toString(size));
                out.append("| ").append(pages).append(" | ").append(Verdicts.size(size)).append(" | ")
                    .append(micros(store)).append(" | ").append(micros(floor)).append(" | ");
                if (store.isPresent() && floor.isPresent())
                {
                    final double ratio = store.get().nanosPerOp() / floor.get().nanosPerOp();
                    out.append(verdicts.mark(Verdicts.fixed(ratio, 2), ratio <= 1.3));
                }
                else
                {
                    out.append('-');
                }
                out.append(" |\n");
            }
        }
        out.append("\nThe same checkpoint on a 64 MiB and a 4 GiB store; target: the slower within 1.2x of the ")
            .append("faster. For reference, the same ratio of the hand-made floor (a plain mapped file of each size): ")
            .append("where it grows as much, the growth comes from the kernel and file system, not the store.\n\n")
            .append("| pages | 64 MiB | 4 GiB | 4 GiB / 64 MiB | floor: 4 GiB / 64 MiB |\n")
            .append("|---:|---:|---:|---:|---:|\n");
        for (final String pages : new String[]{"1", "64", "4096"})
        {
            final Optional<Results.Entry> small = results.find(CHECKPOINT, "checkpoint", 1, "pages", pages,
                "storeSize", Long.toString(STORE_SIZES[0]));
            final Optional<Results.Entry> large = results.find(CHECKPOINT, "checkpoint", 1, "pages", pages,
                "storeSize", Long.toString(STORE_SIZES[1]));
            out.append("| ").append(pages).append(" | ").append(micros(small)).append(" | ").append(micros(large))
                .append(" | ");
            if (small.isPresent() && large.isPresent())
            {
                final double ratio = large.get().nanosPerOp() / small.get().nanosPerOp();
                out.append(verdicts.mark(Verdicts.fixed(ratio, 2), ratio <= 1.2 && ratio >= 1 / 1.2));
            }
            else
            {
                out.append('-');
            }
            final Optional<Results.Entry> smallFloor = results.find(CHECKPOINT, "floor", 1, "pages", pages,
                "storeSize", Long.toString(STORE_SIZES[0]));
            final Optional<Results.Entry> largeFloor = results.find(CHECKPOINT, "floor", 1, "pages", pages,
                "storeSize", Long.toString(STORE_SIZES[1]));
            out.append(" | ").append(smallFloor.isPresent() && largeFloor.isPresent() ?
                Verdicts.fixed(largeFloor.get().nanosPerOp() / smallFloor.get().nanosPerOp(), 2) : "-");
            out.append(" |\n");
        }
        out.append('\n');
    }

    private static void opens(final Results results, final StringBuilder out)
    {
        final Optional<Results.Entry> store = results.find(OPEN, "storeOpen", 1);
        if (store.isEmpty())
        {
            return;
        }
        final Optional<Results.Entry> lmdb = results.find(OPEN, "lmdbOpen", 1);
        out.append("## Open of a 4 GiB store with 1,048,576 live pages, milliseconds (lower is better)\n\n")
            .append("Warm page cache; the store's open is its recovery: it validates the superblocks and every ")
            .append("metadata page (8 MiB) and rebuilds its page table (`StoreOpenBenchmark`). No target; LMDB's ")
            .append("open of the same 1,048,576 pages (its file is about 8 GiB: each 4 KiB value takes two ")
            .append("overflow pages) is the peer.\n\n| PageStore.open | LMDB open | store / LMDB |\n|---:|---:|---:|\n")
            .append("| ").append(millis(store)).append(" | ").append(millis(lmdb)).append(" | ");
        if (lmdb.isPresent())
        {
            final double ratio = store.get().nanosPerOp() / lmdb.get().nanosPerOp();
            out.append(Verdicts.fixed(ratio, 1)).append("x").append(ratio > 1 ? " (**LMDB wins**)" : " (store wins)");
        }
        else
        {
            out.append('-');
        }
        out.append(" |\n\n");
    }

    static String gib(final Optional<Results.Entry> entry)
    {
        return entry.map(e -> Verdicts.fixed(Verdicts.pageGibPerSecond(e.nanosPerOp(), e.threads()), 2) +
            e.errorSuffix()).orElse("-");
    }

    static String micros(final Optional<Results.Entry> entry)
    {
        return entry.map(e -> Verdicts.fixed(e.nanosPerOp() / 1e3, 0) + e.errorSuffix()).orElse("-");
    }

    static String millis(final Optional<Results.Entry> entry)
    {
        return entry.map(e -> Verdicts.fixed(e.nanosPerOp() / 1e6, 2) + e.errorSuffix()).orElse("-");
    }
}
