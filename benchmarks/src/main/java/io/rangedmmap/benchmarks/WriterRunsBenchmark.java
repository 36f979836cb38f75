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

import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.internal.Runs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Does a {@link PageWriter}'s allocation stay cheap when the writer holds the free runs of a fragmented store (issue
 * 9, item 4)? Each measured call hands out pages the way {@code PageWriter.allocate} does, from the writer's
 * {@link Runs}: one page ({@code find(1)} then {@code take}), or a two-page run ({@code find(2)}, a first-fit
 * search). The runs are {@code runs} one-page runs with gaps between them and one two-page run at the end, rebuilt
 * before each invocation with their search index (untimed); an invocation makes {@link #CALLS} calls.
 *
 * <p>The two sizes compared in the same run: with O(1) and O(log n) operations the score barely moves from 1,024 to
 * 262,144 runs; the former list (an array shift per take, a scan per search) grew 256-fold.
 *
 * <p>Scores are nanoseconds per call.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 50)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class WriterRunsBenchmark
{
    /**
     * Calls per invocation.
     */
    static final int CALLS = 1024;

    /**
     * The number of one-page runs the writer holds.
     */
    @Param({"1024", "262144"})
    public int runs;

    private Runs held;

    /**
     * Builds the writer's runs.
     */
    @Setup(Level.Invocation)
    public void setUp()
    {
        held = new Runs();
        for (int i = 0; i < runs; i++)
        {
            held.add(2L * i, 2L * i + 1);
        }
        held.add(2L * runs, 2L * runs + 2);
        // The first search for a run longer than a page builds the search index, O(n) once per list (and again only
        // after the list doubles or drops its used-up half): amortised, it is not the cost of a call.
        held.find(2);
    }

    /**
     * {@return the last page taken} one page at a time, from the front.
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long takeOnePage()
    {
        long last = 0;
        for (int i = 0; i < CALLS; i++)
        {
            last = held.take(held.find(1), 1);
        }
        return last;
    }

    /**
     * {@return the sum of the indices found} searching for a two-page run, found only at the end.
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long findTwoPages()
    {
        long sum = 0;
        for (int i = 0; i < CALLS; i++)
        {
            sum += held.find(2);
        }
        return sum;
    }
}
