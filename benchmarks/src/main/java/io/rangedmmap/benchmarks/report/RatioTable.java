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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH JSON result file of {@code MmapWriteBenchmark} and {@code AllocatorBenchmark} and prints a Markdown
 * table of payload GiB/s per variant, size and thread count, with the ratios the issue sets targets for, and the
 * allocator's cost against {@code AtomicLong.getAndAdd}; writes the same text to a {@code .md} file.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.report.RatioTable RESULT.json [OUT.md]}; the
 * default output is the result file with {@code .md} in place of {@code .json}.
 *
 * <p>Write variants are named by their benchmark method without its thread suffix ({@code writeRangeTwoThreads}
 * is {@code writeRange} at the thread count JMH recorded). Scores in any {@code ops/<unit>} or {@code <unit>/op}
 * are converted; {@code gc.alloc.rate.norm} is shown when the run used {@code -prof gc}.
 */
public final class RatioTable
{
    private static final String WRITE_BENCHMARK = "MmapWriteBenchmark";
    private static final String ALLOCATOR_BENCHMARK = "AllocatorBenchmark";
    private static final String[] VARIANTS = {"writeRange", "unsafeBuffer", "fileChannel", "randomAccessFile"};
    private static final double GIB = 1L << 30;

    /**
     * Bytes a write may allocate beyond the baseline's: one {@code WriteReceipt}, 16 bytes with compressed
     * pointers; the slack absorbs the profiler's rounding.
     */
    private static final double RECEIPT_BYTES = 16.5;

    /**
     * One measured score.
     *
     * @param opsPerSecond  median throughput, or 0 if the mode was a time per operation.
     * @param nanosPerOp    median time per operation, or 0 if the mode was a throughput.
     * @param errorFraction the score's 99.9% error relative to the score, or NaN.
     * @param allocNorm     {@code gc.alloc.rate.norm} in bytes per operation, or NaN.
     */
    record Score(double opsPerSecond, double nanosPerOp, double errorFraction, double allocNorm)
    {
    }

    private RatioTable()
    {
    }

    /**
     * Prints the table and writes it to a file.
     *
     * @param args the JMH JSON result file, and optionally the Markdown file to write.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1 || args.length > 2)
        {
            System.err.println("usage: RatioTable RESULT.json [OUT.md]");
            System.exit(2);
        }
        final Path input = Path.of(args[0]);
        final Path output = args.length > 1 ? Path.of(args[1]) :
            input.resolveSibling(input.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        final String table = render(Files.readString(input, StandardCharsets.UTF_8), input.getFileName().toString());
        System.out.print(table);
        Files.writeString(output, table, StandardCharsets.UTF_8);
        System.out.println("(written to " + output + ")");
    }

    /**
     * Renders the Markdown report of one result file.
     *
     * @param json   the JMH JSON result text.
     * @param source the file's name, for the heading.
     * @return the report.
     * @throws IllegalArgumentException if the text is not a JMH result array.
     */
    static String render(final String json, final String source)
    {
        if (!(Json.parse(json) instanceof List<?> results))
        {
            throw new IllegalArgumentException("expected a JSON array of JMH results in " + source);
        }
        // size -> threads -> variant -> score
        final Map<Integer, Map<Integer, Map<String, Score>>> writes = new TreeMap<>();
        // threads -> method -> score
        final Map<Integer, Map<String, Score>> allocations = new TreeMap<>();
        String jvm = "";
        for (final Object entry : results)
        {
            final Map<?, ?> result = (Map<?, ?>)entry;
            final String[] name = String.valueOf(result.get("benchmark")).split("\\.");
            final String className = name[name.length - 2];
            final String method = name[name.length - 1];
            final int threads = ((Number)result.get("threads")).intValue();
            final Score score = score(result);
            jvm = result.get("jdkVersion") + " (" + result.get("vmName") + ", JMH " + result.get("jmhVersion") + ")";
            if (WRITE_BENCHMARK.equals(className))
            {
                final int size = Integer.parseInt(String.valueOf(((Map<?, ?>)result.get("params")).get("size")));
                writes.computeIfAbsent(size, k -> new TreeMap<>())
                    .computeIfAbsent(threads, k -> new TreeMap<>())
                    .put(method.replaceFirst("(OneThread|TwoThreads)$", ""), score);
            }
            else if (ALLOCATOR_BENCHMARK.equals(className))
            {
                allocations.computeIfAbsent(threads, k -> new TreeMap<>()).put(method, score);
            }
        }

        final StringBuilder out = new StringBuilder();
        out.append("# Benchmark ratios: ").append(source).append("\n\n");
        out.append("JDK ").append(jvm).append(".\n\n");
        final int[] verdicts = new int[2];
        if (!writes.isEmpty())
        {
            renderWrites(out, writes, verdicts);
        }
        if (!allocations.isEmpty())
        {
            renderAllocations(out, allocations, verdicts);
        }
        out.append("**Targets met: ").append(verdicts[0]).append(", missed: ").append(verdicts[1]).append(".**\n");
        return out.toString();
    }

    private static void renderWrites(
        final StringBuilder out, final Map<Integer, Map<Integer, Map<String, Score>>> writes, final int[] verdicts)
    {
        out.append("## Write throughput, GiB/s of payload (higher is better)\n\n");
        out.append("(a) `UnsafeBuffer.putBytes` on a mapping (the ceiling), (b) `FileChannel.write(src, position)` ")
            .append("from a direct buffer, (c) `RandomAccessFile` seek + write under a shared lock. Ratios are ")
            .append("writeRange / baseline; targets: /(a) >= 0.90 at 64 KiB and 1 MiB, >= 0.75 at 4 KiB; ")
            .append("/(b) and /(c) > 1; allocation per write beyond what (a) shows (the harness's own) <= one ")
            .append("16-byte receipt. Throughput is the median over iterations; ±% is JMH's 99.9% error ")
            .append("relative to the mean.\n\n");
        out.append("| size | threads | writeRange | (a) UnsafeBuffer | (b) FileChannel | (c) RAF ")
            .append("| writeRange/(a) | writeRange/(b) | writeRange/(c) | writeRange B/op |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final var bySize : writes.entrySet())
        {
            final int size = bySize.getKey();
            final double ceilingTarget = size >= 65536 ? 0.90 : 0.75;
            for (final var byThreads : bySize.getValue().entrySet())
            {
                final Map<String, Score> scores = byThreads.getValue();
                out.append("| ").append(sizeName(size)).append(" | ").append(byThreads.getKey());
                for (final String variant : VARIANTS)
                {
                    final Score score = scores.get(variant);
                    out.append(" | ").append(null == score ? "-" : gibPerSecond(score, size));
                }
                final Score ours = scores.get("writeRange");
                out.append(" | ").append(ratio(ours, scores.get("unsafeBuffer"), ceilingTarget, false, verdicts));
                out.append(" | ").append(ratio(ours, scores.get("fileChannel"), 1.0, true, verdicts));
                out.append(" | ").append(ratio(ours, scores.get("randomAccessFile"), 1.0, true, verdicts));
                out.append(" | ").append(allocation(ours, scores.get("unsafeBuffer"), verdicts)).append(" |\n");
            }
        }
        out.append('\n');
    }

    private static void renderAllocations(
        final StringBuilder out, final Map<Integer, Map<String, Score>> allocations, final int[] verdicts)
    {
        out.append("## Allocation, ns per call per thread (lower is better)\n\n");
        out.append("`ConcurrentAllocator.allocate(4096)` against `AtomicLong.getAndAdd(4096)` on one shared ")
            .append("counter; target: allocate / getAndAdd <= 1.5. Median over iterations; ±% is JMH's 99.9% ")
            .append("error relative to the mean.\n\n");
        out.append("| threads | allocate | getAndAdd | allocate/getAndAdd | allocate B/op |\n");
        out.append("|---:|---:|---:|---:|---:|\n");
        for (final var byThreads : allocations.entrySet())
        {
            final Score allocate = byThreads.getValue().get("allocate");
            final Score getAndAdd = byThreads.getValue().get("getAndAdd");
            out.append("| ").append(byThreads.getKey())
                .append(" | ").append(nanos(allocate))
                .append(" | ").append(nanos(getAndAdd))
                .append(" | ");
            if (null == allocate || null == getAndAdd || 0 == allocate.nanosPerOp() || 0 == getAndAdd.nanosPerOp())
            {
                out.append('-');
            }
            else
            {
                final double ratio = allocate.nanosPerOp() / getAndAdd.nanosPerOp();
                out.append(verdict(String.format(Locale.ROOT, "%.2fx", ratio), ratio <= 1.5, verdicts));
            }
            out.append(" | ").append(null == allocate || Double.isNaN(allocate.allocNorm()) ? "-" :
                String.format(Locale.ROOT, "%.0f", allocate.allocNorm())).append(" |\n");
        }
        out.append('\n');
    }

    private static Score score(final Map<?, ?> result)
    {
        final Map<?, ?> primary = (Map<?, ?>)result.get("primaryMetric");
        final double mean = Results.number(primary.get("score"));
        final double value = median(primary.get("rawData"), mean);
        final double error = Results.number(primary.get("scoreError"));
        final String unit = String.valueOf(primary.get("scoreUnit"));
        double allocNorm = Double.NaN;
        if (result.get("secondaryMetrics") instanceof Map<?, ?> secondary &&
            secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm)
        {
            allocNorm = Results.number(norm.get("score"));
        }
        final double errorFraction = error / mean;
        if (unit.startsWith("ops/"))
        {
            return new Score(value / Results.seconds(unit.substring(4)), 0, errorFraction, allocNorm);
        }
        if (unit.endsWith("/op"))
        {
            final double seconds = Results.seconds(unit.substring(0, unit.length() - 3));
            return new Score(0, value * seconds * 1e9, errorFraction, allocNorm);
        }
        throw new IllegalArgumentException("unknown score unit=" + unit + " of " + result.get("benchmark"));
    }

    /**
     * The median of every measurement iteration of every fork: on a shared machine, one iteration slowed by another
     * process moves the mean far more than the median.
     */
    private static double median(final Object rawData, final double fallback)
    {
        final List<Double> values = new ArrayList<>();
        if (rawData instanceof List<?> forks)
        {
            for (final Object fork : forks)
            {
                if (fork instanceof List<?> iterations)
                {
                    for (final Object iteration : iterations)
                    {
                        values.add(Results.number(iteration));
                    }
                }
            }
        }
        if (values.isEmpty())
        {
            return fallback;
        }
        Collections.sort(values);
        final int middle = values.size() / 2;
        return 1 == values.size() % 2 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    private static String gibPerSecond(final Score score, final int size)
    {
        final double gib = score.opsPerSecond() * size / GIB;
        return String.format(Locale.ROOT, "%.2f", gib) + errorSuffix(score);
    }

    private static String nanos(final Score score)
    {
        if (null == score)
        {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f", score.nanosPerOp()) + errorSuffix(score);
    }

    private static String errorSuffix(final Score score)
    {
        return Double.isNaN(score.errorFraction()) ? "" :
            String.format(Locale.ROOT, " ±%.0f%%", Math.abs(score.errorFraction() * 100));
    }

    private static String ratio(
        final Score ours, final Score baseline, final double target, final boolean strict, final int[] verdicts)
    {
        if (null == ours || null == baseline || 0 == baseline.opsPerSecond())
        {
            return "-";
        }
        final double ratio = ours.opsPerSecond() / baseline.opsPerSecond();
        final boolean met = strict ? ratio > target : ratio >= target;
        return verdict(String.format(Locale.ROOT, "%.2f", ratio), met, verdicts);
    }

    private static String allocation(final Score ours, final Score ceiling, final int[] verdicts)
    {
        if (null == ours || Double.isNaN(ours.allocNorm()))
        {
            return "-";
        }
        // The harness's own allocation, amortised over few operations at 1 MiB, shows up in every variant alike.
        final double harness = null == ceiling || Double.isNaN(ceiling.allocNorm()) ? 0 : ceiling.allocNorm();
        final double beyond = ours.allocNorm() - harness;
        return verdict(String.format(Locale.ROOT, "%.1f (%+.1f over (a))", ours.allocNorm(), beyond),
            beyond <= RECEIPT_BYTES, verdicts);
    }

    private static String verdict(final String value, final boolean met, final int[] verdicts)
    {
        verdicts[met ? 0 : 1]++;
        return value + (met ? " ok" : " **MISS**");
    }

    private static String sizeName(final int size)
    {
        return size >= 1 << 20 && 0 == size % (1 << 20) ? (size >> 20) + " MiB" :
            size >= 1 << 10 && 0 == size % (1 << 10) ? (size >> 10) + " KiB" : size + " B";
    }
}
