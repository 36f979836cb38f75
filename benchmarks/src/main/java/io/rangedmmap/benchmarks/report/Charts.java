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
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Turns JMH JSON results into the report: {@code store.md} (issue 3, {@link StoreTable}), {@code peers.md} (issue 6,
 * {@link PeerTable}), PNG charts drawn with XChart, and {@code report.md}, which holds both tables and the charts.
 * With {@code --scaling}, it renders the scaling run instead ({@link ScalingTable}: {@code scaling.md} and
 * {@code scaling.png}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.report.Charts [--scaling] OUT_DIR
 * RESULT.json...}. Needs a JDK with {@code java.desktop} (the jlink'd scaling bundle has none: run the report where
 * the results are copied to). Runs headless.
 */
public final class Charts
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private Charts()
    {
    }

    /**
     * Writes the report.
     *
     * @param args {@code [--scaling] OUT_DIR RESULT.json...}.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final boolean scaling = args.length > 0 && "--scaling".equals(args[0]);
        final int first = scaling ? 1 : 0;
        if (args.length < first + 2)
        {
            System.err.println("usage: Charts [--scaling] OUT_DIR RESULT.json...");
            System.exit(2);
        }
        final Path dir = Path.of(args[first]);
        final List<Path> inputs = new ArrayList<>();
        for (int i = first + 1; i < args.length; i++)
        {
            inputs.add(Path.of(args[i]));
        }
        final Results results = Results.load(inputs);
        Files.createDirectories(dir);
        if (scaling)
        {
            final String table = ScalingTable.render(results);
            write(dir.resolve("scaling.md"), table + "\n![scaling](scaling.png)\n");
            ScalingTable.chart(results, dir.resolve("scaling.png"));
            System.out.print(table);
            return;
        }
        final String store = StoreTable.render(results);
        final String peers = PeerTable.render(results);
        write(dir.resolve("store.md"), store);
        write(dir.resolve("peers.md"), peers);
        final List<String> images = new ArrayList<>();
        storeWrites(results, dir, images);
        checkpoints(results, dir, images);
        durableWrites(results, dir, images);
        reads(results, dir, images);
        firstTouch(results, dir, images);
        final StringBuilder report = new StringBuilder(store).append('\n').append(peers).append("\n# Charts\n\n");
        for (final String image : images)
        {
            report.append("![").append(image).append("](").append(image).append(")\n\n");
        }
        write(dir.resolve("report.md"), report.toString());
        System.out.print(store);
        System.out.println();
        System.out.print(peers);
        System.out.println("(report, tables and " + images.size() + " charts written to " + dir + ")");
    }

    private static void storeWrites(final Results results, final Path dir, final List<String> images)
        throws IOException
    {
        if (results.of("StoreWriteBenchmark").isEmpty())
        {
            return;
        }
        final CategoryChart chart = bars("Page writes, 4 KiB (StoreWriteBenchmark)", "writers", "GiB/s, all writers");
        final List<String> threads = List.of("1", "2");
        for (final String variant : new String[]{"pageStore", "writeRange"})
        {
            final List<Double> values = new ArrayList<>();
            values.add(value(results.find("StoreWriteBenchmark", variant + "OneThread", 1),
                e -> Verdicts.pageGibPerSecond(e.nanosPerOp(), e.threads())));
            values.add(value(results.find("StoreWriteBenchmark", variant + "TwoThreads", 2),
                e -> Verdicts.pageGibPerSecond(e.nanosPerOp(), e.threads())));
            chart.addSeries(variant, threads, values);
        }
        save(chart, dir, "store-writes.png", images);
    }

    private static void checkpoints(final Results results, final Path dir, final List<String> images)
        throws IOException
    {
        if (results.of("CheckpointBenchmark").isEmpty())
        {
            return;
        }
        final CategoryChart chart = bars("Checkpoint (CheckpointBenchmark), log scale", "pages / store size",
            "microseconds per checkpoint");
        logarithmic(chart, 10);
        final List<String> labels = new ArrayList<>();
        for (final String pages : PeerTable.COMMITS)
        {
            for (final String size : new String[]{"67108864", "4294967296"})
            {
                labels.add(pages + " / " + Verdicts.size(Long.parseLong(size)));
            }
        }
        for (final String variant : new String[]{"checkpoint", "floor"})
        {
            final List<Double> values = new ArrayList<>();
            for (final String pages : PeerTable.COMMITS)
            {
                for (final String size : new String[]{"67108864", "4294967296"})
                {
                    values.add(value(results.find("CheckpointBenchmark", variant, 1, "pages", pages, "storeSize",
                        size), e -> e.nanosPerOp() / 1e3));
                }
            }
            chart.addSeries(variant, labels, values);
        }
        save(chart, dir, "checkpoint.png", images);
    }

    private static void durableWrites(final Results results, final Path dir, final List<String> images)
        throws IOException
    {
        if (results.of(PeerTable.DURABLE).isEmpty())
        {
            return;
        }
        final CategoryChart chart = bars("Durable 4 KiB page writes (DurableWriteBenchmark), log scale",
            "commit every N pages / writers", "pages/s, all writers");
        logarithmic(chart, 100);
        final List<String> labels = new ArrayList<>();
        for (final String commit : PeerTable.COMMITS)
        {
            labels.add(commit + " / 1");
            labels.add(commit + " / 2");
        }
        for (final String[] variant : new String[][]{{"pageStore", "PageStore"}, {"lmdb", "LMDB"},
            {"fileChannel", "FileChannel floor"}})
        {
            final List<Double> values = new ArrayList<>();
            for (final String commit : PeerTable.COMMITS)
            {
                values.add(value(results.find(PeerTable.DURABLE, variant[0] + "OneThread", 1, "commitEvery",
                    commit), PeerTable::pagesPerSecond));
                values.add(value(results.find(PeerTable.DURABLE, variant[0] + "TwoThreads", 2, "commitEvery",
                    commit), PeerTable::pagesPerSecond));
            }
            chart.addSeries(variant[1], labels, values);
        }
        save(chart, dir, "durable-writes.png", images);
    }

    private static void reads(final Results results, final Path dir, final List<String> images) throws IOException
    {
        if (results.of(PeerTable.READ).isEmpty())
        {
            return;
        }
        final CategoryChart chart = bars("Random 4 KiB reads, 512 MiB in page cache (RandomReadBenchmark)", "",
            "ns per page (lower is better)");
        final List<String> labels = List.of("PageStore (CRC32C)", "LMDB get", "FileChannel pread");
        final List<Double> values = new ArrayList<>();
        for (final String method : new String[]{"pageStore", "lmdb", "fileChannel"})
        {
            values.add(value(results.find(PeerTable.READ, method, 1), Results.Entry::nanosPerOp));
        }
        chart.addSeries("ns per page", labels, values);
        save(chart, dir, "random-reads.png", images);
    }

    private static void firstTouch(final Results results, final Path dir, final List<String> images)
        throws IOException
    {
        final Optional<Results.Entry> entry = results.find(PeerTable.FIRST_TOUCH, "fillEach", 1);
        if (entry.isEmpty())
        {
            return;
        }
        final CategoryChart chart = bars("First-touch fill of a fresh 256 MiB file (FirstTouchBenchmark)", "",
            "GiB/s (median of iterations)");
        final List<String> labels = List.of("mmap preallocated", "mmap sparse", "FileChannel new file");
        final List<Double> values = new ArrayList<>();
        for (final String variant : PeerTable.FILL_VARIANTS)
        {
            final List<Double> rates = PeerTable.fillRates(entry.get(), variant);
            values.add(rates.isEmpty() ? Double.NaN : Results.median(rates));
        }
        chart.addSeries("GiB/s", labels, values);
        save(chart, dir, "first-touch.png", images);
    }

    private static CategoryChart bars(final String title, final String x, final String y)
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(false);
        return chart;
    }

    /**
     * {@return a line chart with the house size}
     *
     * @param title the title.
     * @param x     the x axis title.
     * @param y     the y axis title.
     */
    static XYChart lines(final String title, final String x, final String y)
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
            .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    private static void logarithmic(final CategoryChart chart, final double min)
    {
        // A bar chart's axis starts at 0 unless told otherwise, which a logarithmic axis refuses.
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(min);
    }

    private static double value(final Optional<Results.Entry> entry, final ToDoubleFunction<Results.Entry> f)
    {
        return entry.map(f::applyAsDouble).orElse(Double.NaN);
    }

    private static void save(final CategoryChart chart, final Path dir, final String name, final List<String> images)
        throws IOException
    {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        images.add(name);
    }

    private static void write(final Path path, final String text) throws IOException
    {
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
