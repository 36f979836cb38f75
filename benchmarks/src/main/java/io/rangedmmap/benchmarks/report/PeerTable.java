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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The issue-6 tables: durable page writes, random page reads, first-touch fills and open time, ours against the
 * peers measured in the same run, saying plainly where a peer wins. Figures are medians over measurement
 * iterations.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.report.PeerTable OUT.md RESULT.json...}.
 */
public final class PeerTable
{
    static final String DURABLE = "DurableWriteBenchmark";
    static final String READ = "RandomReadBenchmark";
    static final String FIRST_TOUCH = "FirstTouchBenchmark";
    static final String OPEN = "StoreOpenBenchmark";
    static final String[] COMMITS = {"1", "64", "4096"};
    static final String[] FILL_VARIANTS = {"preallocated", "sparse", "fileChannel"};
    static final long FILL_BYTES = 256L << 20;

    private PeerTable()
    {
    }

    /**
     * Prints the tables and writes them to a file.
     *
     * @param args the Markdown file to write, then the JMH JSON result files.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        Results.writeReport("PeerTable", args, PeerTable::render);
    }

    /**
     * Renders the issue-6 report.
     *
     * @param results the results.
     * @return the Markdown text.
     */
    static String render(final Results results)
    {
        final Verdicts verdicts = new Verdicts();
        final StringBuilder out = new StringBuilder();
        out.append("# Against the peers (issue 6)\n\nJDK ").append(results.jvm()).append(".\n\n");
        durable(results, verdicts, out);
        reads(results, out);
        firstTouch(results, out);
        open(results, out);
        out.append(verdicts.summary());
        return out.toString();
    }

    /**
     * {@return pages per second over all threads of a durable-write entry (one operation = one commit)}
     *
     * @param entry the entry.
     */
    static double pagesPerSecond(final Results.Entry entry)
    {
        return entry.threads() * entry.param("commitEvery") * 1e9 / entry.nanosPerOp();
    }

    private static void durable(final Results results, final Verdicts verdicts, final StringBuilder out)
    {
        if (results.of(DURABLE).isEmpty())
        {
            return;
        }
        out.append("## Durable 4 KiB page writes, pages/s over all writers (higher is better)\n\n")
            .append("Write `commitEvery` pages, then make them durable (`DurableWriteBenchmark`): PageStore ")
            .append("write + checkpoint; LMDB put + commit (default durable flags; one write transaction at a ")
            .append("time, so two writers take turns); the floor: FileChannel positional writes + force(false), ")
            .append("then a two-slot header with sequence and CRC32C + force(false). Targets: store / LMDB > 1 ")
            .append("(ahead of LMDB), store / floor >= 0.67 (within 1.5x).\n\n")
            .append("| commit every | writers | PageStore | LMDB | FileChannel floor | store / LMDB | store / floor ")
            .append("| who wins |\n|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final String commit : COMMITS)
        {
            for (final int threads : new int[]{1, 2})
            {
                final String suffix = 1 == threads ? "OneThread" : "TwoThreads";
                final Optional<Results.Entry> store =
                    results.find(DURABLE, "pageStore" + suffix, threads, "commitEvery", commit);
                final Optional<Results.Entry> lmdb =
                    results.find(DURABLE, "lmdb" + suffix, threads, "commitEvery", commit);
                final Optional<Results.Entry> floor =
                    results.find(DURABLE, "fileChannel" + suffix, threads, "commitEvery", commit);
                out.append("| ").append(commit).append(" | ").append(threads).append(" | ").append(rate(store))
                    .append(" | ").append(rate(lmdb)).append(" | ").append(rate(floor)).append(" | ");
                String winner = "-";
                if (store.isPresent() && lmdb.isPresent())
                {
                    final double ratio = pagesPerSecond(store.get()) / pagesPerSecond(lmdb.get());
                    out.append(verdicts.mark(Verdicts.fixed(ratio, 2), ratio > 1));
                    winner = ratio > 1 ? "PageStore beats LMDB" : "**LMDB wins**";
                }
                else
                {
                    out.append('-');
                }
                out.append(" | ");
                if (store.isPresent() && floor.isPresent())
                {
                    final double ratio = pagesPerSecond(store.get()) / pagesPerSecond(floor.get());
                    out.append(verdicts.mark(Verdicts.fixed(ratio, 2), ratio >= 1 / 1.5));
                    if (ratio < 1)
                    {
                        winner += "; floor faster";
                    }
                }
                else
                {
                    out.append('-');
                }
                out.append(" | ").append(winner).append(" |\n");
            }
        }
        out.append('\n');
    }

    private static void reads(final Results results, final StringBuilder out)
    {
        if (results.of(READ).isEmpty())
        {
            return;
        }
        final Optional<Results.Entry> store = results.find(READ, "pageStore", 1);
        final Optional<Results.Entry> lmdb = results.find(READ, "lmdb", 1);
        final Optional<Results.Entry> channel = results.find(READ, "fileChannel", 1);
        out.append("## Random 4 KiB page reads, ns per page, one thread (lower is better)\n\n")
            .append("512 MiB of pages, all in the page cache (`RandomReadBenchmark`): PageStore.read(byte[]) with ")
            .append("its CRC32C check; LMDB get in a read transaction + copy of the value; FileChannel pread into ")
            .append("a direct buffer (no checksum). No target.\n\n")
            .append("| PageStore | LMDB | FileChannel | store / LMDB (time) | store / FileChannel (time) | ")
            .append("who wins |\n")
            .append("|---:|---:|---:|---:|---:|---|\n| ").append(nanos(store)).append(" | ").append(nanos(lmdb))
            .append(" | ").append(nanos(channel)).append(" | ").append(timeRatio(store, lmdb)).append(" | ")
            .append(timeRatio(store, channel)).append(" | ");
        final List<String> faster = new ArrayList<>();
        if (store.isPresent())
        {
            lmdb.filter(e -> e.nanosPerOp() < store.get().nanosPerOp()).ifPresent(e -> faster.add("LMDB"));
            channel.filter(e -> e.nanosPerOp() < store.get().nanosPerOp()).ifPresent(e -> faster.add("FileChannel"));
        }
        out.append(faster.isEmpty() ? "PageStore fastest" : "**" + String.join(" and ", faster) + " faster**")
            .append(" |\n\n");
    }

    /**
     * {@return GiB/s per iteration of one first-touch variant}
     *
     * @param entry   the {@code FirstTouchBenchmark.fillEach} entry.
     * @param variant {@code preallocated}, {@code sparse} or {@code fileChannel}.
     */
    static List<Double> fillRates(final Results.Entry entry, final String variant)
    {
        final List<Double> fills = entry.secondary().getOrDefault("fills", List.of());
        final List<Double> nanos = entry.secondary().getOrDefault(variant + "Nanos", List.of());
        final List<Double> rates = new ArrayList<>();
        for (int i = 0; i < Math.min(fills.size(), nanos.size()); i++)
        {
            if (nanos.get(i) > 0)
            {
                rates.add(fills.get(i) * FILL_BYTES / (nanos.get(i) * 1e-9) / Verdicts.GIB);
            }
        }
        return rates;
    }

    private static void firstTouch(final Results results, final StringBuilder out)
    {
        final Optional<Results.Entry> entry = results.find(FIRST_TOUCH, "fillEach", 1);
        if (entry.isEmpty())
        {
            return;
        }
        out.append("## First-touch fill of a fresh 256 MiB file, GiB/s, 64 KiB writes, one thread (higher is ")
            .append("better)\n\n")
            .append("What a downloader sees (`FirstTouchBenchmark`): `MmapFile.writeRange` into a file created ")
            .append("preallocated (the default) or sparse (`CreateOption.SPARSE`), and FileChannel positional ")
            .append("writes into a new empty file. The three are alternated inside every invocation; median of the ")
            .append("per-iteration rates (min-max in brackets). Extends the mmap write table of issue 2.\n\n")
            .append("| preallocated | sparse | FileChannel | preallocated / sparse | preallocated / FileChannel ")
            .append("| who wins |\n|---:|---:|---:|---:|---:|---|\n| ");
        final double[] medians = new double[FILL_VARIANTS.length];
        for (int v = 0; v < FILL_VARIANTS.length; v++)
        {
            final List<Double> rates = fillRates(entry.get(), FILL_VARIANTS[v]);
            medians[v] = rates.isEmpty() ? Double.NaN : Results.median(rates);
            out.append(rates.isEmpty() ? "-" : Verdicts.fixed(medians[v], 2) + " [" +
                Verdicts.fixed(rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), 2) + "-" +
                Verdicts.fixed(rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), 2) + "]")
                .append(" | ");
        }
        out.append(Verdicts.fixed(medians[0] / medians[1], 2)).append(" | ")
            .append(Verdicts.fixed(medians[0] / medians[2], 2)).append(" | ");
        int best = 0;
        for (int v = 1; v < medians.length; v++)
        {
            if (medians[v] > medians[best])
            {
                best = v;
            }
        }
        out.append(0 == best ? "preallocated mapping fastest" : "**" + FILL_VARIANTS[best] + " fastest**")
            .append(" |\n\n");
    }

    private static void open(final Results results, final StringBuilder out)
    {
        final Optional<Results.Entry> store = results.find(OPEN, "storeOpen", 1);
        final Optional<Results.Entry> lmdb = results.find(OPEN, "lmdbOpen", 1);
        if (store.isEmpty() && lmdb.isEmpty())
        {
            return;
        }
        out.append("## Open (and recovery) of 1,048,576 live 4 KiB pages, ms (lower is better)\n\n")
            .append("`StoreOpenBenchmark`, warm page cache: PageStore.open validates and loads its whole metadata ")
            .append("table; LMDB reads two meta pages. No target.\n\n")
            .append("| PageStore.open | LMDB open | store / LMDB (time) | who wins |\n|---:|---:|---:|---|\n| ")
            .append(StoreTable.millis(store)).append(" | ").append(StoreTable.millis(lmdb)).append(" | ")
            .append(timeRatio(store, lmdb)).append(" | ");
        if (store.isPresent() && lmdb.isPresent())
        {
            out.append(store.get().nanosPerOp() > lmdb.get().nanosPerOp() ? "**LMDB wins**" : "PageStore wins");
        }
        out.append(" |\n\n");
    }

    private static String rate(final Optional<Results.Entry> entry)
    {
        return entry.map(e -> Verdicts.fixed(pagesPerSecond(e), 0) + e.errorSuffix()).orElse("-");
    }

    private static String nanos(final Optional<Results.Entry> entry)
    {
        return entry.map(e -> Verdicts.fixed(e.nanosPerOp(), 0) + e.errorSuffix()).orElse("-");
    }

    private static String timeRatio(final Optional<Results.Entry> ours, final Optional<Results.Entry> theirs)
    {
        if (ours.isEmpty() || theirs.isEmpty())
        {
            return "-";
        }
        return Verdicts.fixed(ours.get().nanosPerOp() / theirs.get().nanosPerOp(), 2);
    }
}
