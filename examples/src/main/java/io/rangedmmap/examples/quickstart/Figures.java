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
package io.rangedmmap.examples.quickstart;

import java.util.Arrays;

/**
 * What one workload measured: pages made durable, the time from the first write to the last commit, and each
 * commit's latency.
 *
 * @param pages         pages written and made durable.
 * @param nanos         from the start of the writers to the return of the last commit.
 * @param commitNanos   the latency of each commit, in the order they ran.
 */
public record Figures(long pages, long nanos, long[] commitNanos)
{
    /**
     * Copies the latencies.
     *
     * @param pages       pages written and made durable.
     * @param nanos       total time.
     * @param commitNanos commit latencies.
     */
    public Figures
    {
        commitNanos = commitNanos.clone();
    }

    /**
     * {@return the latencies, copied}
     */
    @Override
    public long[] commitNanos()
    {
        return commitNanos.clone();
    }

    /**
     * {@return durable throughput in MiB/s: page bytes over the whole run}
     *
     * @param pageSize the size of a page.
     */
    public double mibPerSecond(final int pageSize)
    {
        return pages * (double)pageSize / (1 << 20) / (nanos / 1e9);
    }

    /**
     * {@return the commit latency at {@code percentile} (0 to 100), nearest rank, in nanoseconds; 0 if none ran}
     *
     * @param percentile the percentile.
     */
    public long commitPercentile(final double percentile)
    {
        if (0 == commitNanos.length)
        {
            return 0;
        }
        final long[] sorted = commitNanos.clone();
        Arrays.sort(sorted);
        final int rank = (int)Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
