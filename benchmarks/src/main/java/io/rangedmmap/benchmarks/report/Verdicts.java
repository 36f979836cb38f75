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

import java.util.Locale;

/**
 * Counts the targets met and missed in a report and formats figures the same way in every table.
 *
 * <p><b>Thread safety:</b> one instance per report, not shared.
 */
final class Verdicts
{
    static final double GIB = 1L << 30;

    private int met;
    private int missed;

    /**
     * {@return {@code value} followed by " ok" or " **MISS**", counted}
     *
     * @param value the figure.
     * @param ok    whether the target is met.
     */
    String mark(final String value, final boolean ok)
    {
        if (ok)
        {
            met++;
        }
        else
        {
            missed++;
        }
        return value + (ok ? " ok" : " **MISS**");
    }

    /**
     * {@return the closing line}
     */
    String summary()
    {
        return "**Targets met: " + met + ", missed: " + missed + ".**\n";
    }

    /**
     * {@return the figure with {@code decimals} decimals}
     *
     * @param value    the figure.
     * @param decimals the decimals.
     */
    static String fixed(final double value, final int decimals)
    {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /**
     * {@return GiB/s of 4 KiB pages over all threads, from nanoseconds per page per thread}
     *
     * @param nanosPerPage the time per page per thread.
     * @param threads      the thread count.
     */
    static double pageGibPerSecond(final double nanosPerPage, final int threads)
    {
        return threads * 4096 / (nanosPerPage * 1e-9) / GIB;
    }

    /**
     * {@return a size in bytes as "64 MiB", "4 GiB"}
     *
     * @param bytes the size.
     */
    static String size(final long bytes)
    {
        if (bytes >= 1L << 30 && 0 == bytes % (1L << 30))
        {
            return (bytes >> 30) + " GiB";
        }
        return bytes >= 1L << 20 && 0 == bytes % (1L << 20) ? (bytes >> 20) + " MiB" : bytes + " B";
    }
}
