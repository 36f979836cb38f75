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
/**
 * JMH benchmarks, each beside its plain-JDK alternative, its peer or the hardware ceiling in the same run; one class
 * per question, its Javadoc stating the question and the baselines.
 *
 * <ul>
 *     <li>Issue 2 ({@code benchmarks/run-short.sh}): {@link io.rangedmmap.benchmarks.MmapWriteBenchmark},
 *     {@link io.rangedmmap.benchmarks.AllocatorBenchmark}.</li>
 *     <li>Issue 3, the page store against its own floor: {@link io.rangedmmap.benchmarks.StoreWriteBenchmark},
 *     {@link io.rangedmmap.benchmarks.CheckpointBenchmark}, {@link io.rangedmmap.benchmarks.StoreOpenBenchmark}.</li>
 *     <li>Issue 6, against LMDB and {@code FileChannel}: {@link io.rangedmmap.benchmarks.DurableWriteBenchmark},
 *     {@link io.rangedmmap.benchmarks.RandomReadBenchmark}, {@link io.rangedmmap.benchmarks.FirstTouchBenchmark},
 *     and the LMDB open in {@code StoreOpenBenchmark}; {@code benchmarks/run-all.sh [--short]} runs issues 3 and 6.
 *     </li>
 *     <li>Scaling past two cores: {@link io.rangedmmap.benchmarks.ScalingWriteBenchmark}, run by
 *     {@code benchmarks/scaling/run-scaling.sh} from a bundle {@code benchmarks/scaling/build-bundle.sh} makes.</li>
 *     <li>Issue 9, a writer's allocation with many held runs: {@link io.rangedmmap.benchmarks.WriterRunsBenchmark}
 *     (1,024 against 262,144 runs in the same run).</li>
 * </ul>
 *
 * <p>Every fork needs {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} (Agrona) and
 * {@code --enable-native-access=ALL-UNNAMED} (the library's FFM calls); the LMDB peers also need
 * {@code --add-opens java.base/java.nio=ALL-UNNAMED} and {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
 * (lmdbjava 0.9.1 on Java 25). The classes' {@code @Fork} annotations and the scripts pass them. Reports:
 * {@code io.rangedmmap.benchmarks.report}.
 */
package io.rangedmmap.benchmarks;
