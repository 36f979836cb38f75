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
package io.rangedmmap.benchmarks;

import io.rangedmmap.benchmarks.StoreWriteBenchmark.Channel;
import io.rangedmmap.benchmarks.StoreWriteBenchmark.Payload;
import io.rangedmmap.benchmarks.StoreWriteBenchmark.Ranges;
import io.rangedmmap.benchmarks.StoreWriteBenchmark.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * How do 4 KiB page writes scale with threads: {@code PageStore} writes, {@code MmapFile.writeRange} and
 * {@code FileChannel} positional writes into one file, at whatever thread count JMH's {@code -t} gives (the scaling
 * bundle runs 1, 2, 4, 8 and 16)?
 *
 * <p>The workloads are exactly those of {@link StoreWriteBenchmark} (same states, same fairness rules: pages mapped
 * writable before each iteration, each thread writing {@link StoreWriteBenchmark#PAGES} pages of its own share per
 * iteration), with the thread count left to the command line. Every file is sized by the thread count: at 16
 * threads the store is 4 GiB and the other files 1 GiB. Baselines: {@code writeRange} (the mapped write the store
 * is built on) and {@code fileChannel}, the plain-JDK write, which per {@code FACTS.md} does not scale into one
 * file on ext4. Scores are microseconds per page per thread; {@code io.rangedmmap.benchmarks.report.ScalingTable}
 * prints GiB/s over all threads.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ScalingWriteBenchmark
{
    /**
     * {@code PageStore} writes.
     *
     * @param store   the store.
     * @param payload the page to write.
     * @param thread  this thread's index.
     */
    @Benchmark
    @OperationsPerInvocation(StoreWriteBenchmark.PAGES)
    public void pageStore(final Store store, final Payload payload, final ThreadParams thread)
    {
        StoreWriteBenchmark.pageStore(store, payload, thread);
    }

    /**
     * {@code MmapFile.writeRange} of 4 KiB ranges.
     *
     * @param ranges  the file.
     * @param payload the page to write.
     * @param thread  this thread's index.
     */
    @Benchmark
    @OperationsPerInvocation(StoreWriteBenchmark.PAGES)
    public void writeRange(final Ranges ranges, final Payload payload, final ThreadParams thread)
    {
        StoreWriteBenchmark.writeRange(ranges, payload, thread);
    }

    /**
     * {@code FileChannel.write(src, position)} into one shared file.
     *
     * @param channel the file.
     * @param payload the page to write.
     * @param thread  this thread's index.
     * @return bytes written.
     * @throws IOException if a write fails.
     */
    @Benchmark
    @OperationsPerInvocation(StoreWriteBenchmark.PAGES)
    public long fileChannel(final Channel channel, final Payload payload, final ThreadParams thread)
        throws IOException
    {
        return StoreWriteBenchmark.fileChannel(channel, payload, thread);
    }
}
