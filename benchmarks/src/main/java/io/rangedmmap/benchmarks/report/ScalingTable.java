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

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The scaling table: {@code ScalingWriteBenchmark} at every thread count found in the results (one JSON file per
 * thread count, as {@code benchmarks/scaling/run-scaling.sh} writes them), GiB/s of 4 KiB pages over all threads,
 * and each variant's speed-up over its own one-thread figure.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.report.ScalingTable OUT.md RESULT.json...}
 * (text only; {@link Charts} {@code --scaling} adds the PNG).
 */
public final class ScalingTable
{
    private static final String SCALING = "ScalingWriteBenchmark";
    private static final String[] VARIANTS = {"pageStore", "writeRange", "fileChannel"};

    private ScalingTable()
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
        Results.writeReport("ScalingTable", args, ScalingTable::render);
    }

    /**
     * Renders the scaling table.
     *
     * @param results the results.
     * @return the Markdown text.
     */
    static String render(final Results results)
    {
        final TreeSet<Integer> threads = threads(results);
        final StringBuilder out = new StringBuilder();
        out.append("# Write scaling, GiB/s of 4 KiB pages over all threads (ScalingWriteBenchmark)\n\nJDK ")
            .append(results.jvm()).append(". In brackets: speed-up over the same variant at one thread. ")
            .append("fileChannel writes into one shared file.\n\n| threads |");
        for (final String variant : VARIANTS)
        {
            out.append(' ').append(variant).append(" |");
        }
        out.append(" pageStore / writeRange |\n|---:|---:|---:|---:|---:|\n");
        for (final int t : threads)
        {
            out.append("| ").append(t).append(" |");
            for (final String variant : VARIANTS)
            {
                final Optional<Results.Entry> entry = results.find(SCALING, variant, t);
                final Optional<Results.Entry> one = results.find(SCALING, variant, 1);
                out.append(' ').append(entry.map(e -> Verdicts.fixed(gib(e), 2) + one.map(o ->
                    " (" + Verdicts.fixed(gib(e) / gib(o), 1) + "x)").orElse("")).orElse("-")).append(" |");
            }
            final Optional<Results.Entry> store = results.find(SCALING, "pageStore", t);
            final Optional<Results.Entry> ranges = results.find(SCALING, "writeRange", t);
            out.append(' ').append(store.isPresent() && ranges.isPresent() ?
                Verdicts.fixed(gib(store.get()) / gib(ranges.get()), 2) : "-").append(" |\n");
        }
        return out.toString();
    }

    /**
     * Draws GiB/s against threads, one line per variant.
     *
     * @param results the results.
     * @param png     the file to write.
     * @throws IOException if it cannot be written.
     */
    static void chart(final Results results, final Path png) throws IOException
    {
        final XYChart chart = Charts.lines("Write scaling, 4 KiB pages (ScalingWriteBenchmark)", "threads",
            "GiB/s, all threads");
        for (final String variant : VARIANTS)
        {
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (final int t : threads(results))
            {
                results.find(SCALING, variant, t).ifPresent(e ->
                {
                    x.add((double)t);
                    y.add(gib(e));
                });
            }
            if (!x.isEmpty())
            {
                chart.addSeries(variant, x, y);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static TreeSet<Integer> threads(final Results results)
    {
        final TreeSet<Integer> threads = new TreeSet<>();
        results.of(SCALING).forEach(e -> threads.add(e.threads()));
        return threads;
    }

    private static double gib(final Results.Entry entry)
    {
        return Verdicts.pageGibPerSecond(entry.nanosPerOp(), entry.threads());
    }
}
