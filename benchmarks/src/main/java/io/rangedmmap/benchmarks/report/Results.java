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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The results of one or more JMH JSON files, reduced to what the tables need: per benchmark, parameters and thread
 * count, the median over all measurement iterations of the primary score (nanoseconds per operation, whatever the
 * mode and unit), and the medians of the secondary metrics.
 *
 * <p><b>Thread safety:</b> immutable after {@link #load(List)}.
 */
final class Results
{
    /**
     * One measured benchmark.
     *
     * @param className    the benchmark class's simple name.
     * @param method       the benchmark method.
     * @param params       the JMH parameters.
     * @param threads      the thread count.
     * @param nanosPerOp   median time per operation per thread, in nanoseconds.
     * @param error        JMH's 99.9% error relative to the mean score, or NaN.
     * @param iterations   the number of measurement iterations over all forks.
     * @param secondary    secondary metrics: name to the per-iteration values.
     */
    record Entry(String className, String method, Map<String, String> params, int threads, double nanosPerOp,
        double error, int iterations, Map<String, List<Double>> secondary)
    {
        /**
         * {@return a parameter as a long}
         *
         * @param name the parameter.
         */
        long param(final String name)
        {
            return Long.parseLong(params.get(name));
        }

        /**
         * {@return the error as " ±N%", or an empty string}
         */
        String errorSuffix()
        {
            return Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ±%.0f%%", Math.abs(error * 100));
        }
    }

    private final List<Entry> entries;
    private final String jvm;

    private Results(final List<Entry> entries, final String jvm)
    {
        this.entries = entries;
        this.jvm = jvm;
    }

    /**
     * Reads JMH JSON result files.
     *
     * @param files the files; later files' entries come after earlier ones'.
     * @return the results.
     * @throws IOException if a file cannot be read.
     */
    static Results load(final List<Path> files) throws IOException
    {
        final List<Entry> entries = new ArrayList<>();
        String jvm = "";
        for (final Path file : files)
        {
            if (!(Json.parse(Files.readString(file, StandardCharsets.UTF_8)) instanceof List<?> results))
            {
                throw new IllegalArgumentException("expected a JSON array of JMH results in " + file);
            }
            for (final Object item : results)
            {
                final Map<?, ?> result = (Map<?, ?>)item;
                jvm = result.get("jdkVersion") + " (" + result.get("vmName") + ", JMH " + result.get("jmhVersion") +
                    ")";
                entries.add(entry(result));
            }
        }
        return new Results(entries, jvm);
    }

    private static Entry entry(final Map<?, ?> result)
    {
        final String[] name = String.valueOf(result.get("benchmark")).split("\\.");
        final Map<String, String> params = new LinkedHashMap<>();
        if (result.get("params") instanceof Map<?, ?> p)
        {
            p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        final Map<?, ?> primary = (Map<?, ?>)result.get("primaryMetric");
        final String unit = String.valueOf(primary.get("scoreUnit"));
        final List<Double> raw = raw(primary.get("rawData"));
        final double mean = number(primary.get("score"));
        final double median = raw.isEmpty() ? mean : median(raw);
        final double nanos;
        if (unit.startsWith("ops/"))
        {
            nanos = 1e9 * seconds(unit.substring(4)) / median;
        }
        else if (unit.endsWith("/op"))
        {
            nanos = median * seconds(unit.substring(0, unit.length() - 3)) * 1e9;
        }
        else
        {
            throw new IllegalArgumentException("unknown score unit=" + unit + " of " + result.get("benchmark"));
        }
        final Map<String, List<Double>> secondary = new LinkedHashMap<>();
        if (result.get("secondaryMetrics") instanceof Map<?, ?> metrics)
        {
            metrics.forEach((k, v) -> secondary.put(String.valueOf(k), raw(((Map<?, ?>)v).get("rawData"))));
        }
        return new Entry(name[name.length - 2], name[name.length - 1], params,
            ((Number)result.get("threads")).intValue(), nanos, number(primary.get("scoreError")) / mean, raw.size(),
            secondary);
    }

    /**
     * {@return the entries of a benchmark class}
     *
     * @param className the class's simple name.
     */
    List<Entry> of(final String className)
    {
        return entries.stream().filter(e -> e.className().equals(className)).toList();
    }

    /**
     * {@return the last entry of a class and method with these threads and parameter values}
     *
     * @param className the class's simple name.
     * @param method    the method.
     * @param threads   the thread count, or 0 for any.
     * @param params    name, value, name, value...
     */
    Optional<Entry> find(final String className, final String method, final int threads, final String... params)
    {
        Entry found = null;
        for (final Entry e : entries)
        {
            if (!e.className().equals(className) || !e.method().equals(method) ||
                (0 != threads && threads != e.threads()))
            {
                continue;
            }
            boolean match = true;
            for (int i = 0; i + 1 < params.length; i += 2)
            {
                match &= params[i + 1].equals(e.params().get(params[i]));
            }
            if (match)
            {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * {@return the JVM the results came from}
     */
    String jvm()
    {
        return jvm;
    }

    /**
     * {@return the median of the values}
     *
     * @param values the values, not empty.
     */
    static double median(final List<Double> values)
    {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int middle = sorted.size() / 2;
        return 1 == sorted.size() % 2 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static List<Double> raw(final Object rawData)
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
                        values.add(number(iteration));
                    }
                }
            }
        }
        return values;
    }

    /**
     * The {@code main} of a report: loads the JMH JSON files named after the output file, renders them, prints the
     * Markdown and writes it to the output file.
     *
     * @param name     the report's class name, for the usage line.
     * @param args     the Markdown file to write, then the JMH JSON result files.
     * @param renderer turns the results into Markdown.
     * @throws IOException if a file cannot be read or written.
     */
    static void writeReport(final String name, final String[] args,
        final java.util.function.Function<Results, String> renderer) throws IOException
    {
        if (args.length < 2)
        {
            System.err.println("usage: " + name + " OUT.md RESULT.json...");
            System.exit(2);
        }
        final List<Path> inputs = new ArrayList<>();
        for (int i = 1; i < args.length; i++)
        {
            inputs.add(Path.of(args[i]));
        }
        final String table = renderer.apply(load(inputs));
        System.out.print(table);
        Files.writeString(Path.of(args[0]), table, StandardCharsets.UTF_8);
        System.out.println("(written to " + args[0] + ")");
    }

    static double seconds(final String unit)
    {
        return switch (unit)
        {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unknown time unit=" + unit);
        };
    }

    static double number(final Object value)
    {
        if (value instanceof Number n)
        {
            return n.doubleValue();
        }
        try
        {
            return Double.parseDouble(String.valueOf(value));
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }
}
