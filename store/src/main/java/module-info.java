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
 * The page store: a crash-safe store of fixed 4 KiB pages in one memory-mapped file, built on ranged-mmap.
 *
 * <p>The API is {@code io.rangedmmap.store}; its {@code internal} packages are not exported, except
 * {@code io.rangedmmap.store.internal} to the benchmarks that measure it. JVM flags on the module
 * path: {@code --add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap}.
 */
// "module": the benchmarks are built after this module; Agrona has no module-info, its jar names its module
// org.agrona.
@SuppressWarnings({"module", "requires-automatic"})
module io.rangedmmap.store
{
    requires transitive io.rangedmmap.mmap;
    requires org.agrona;
    requires org.slf4j;
    requires jdk.jfr; // the store's Flight Recorder events (internal.jfr)

    exports io.rangedmmap.store;
    // The benchmarks measure the store's layers one by one (formatter, checkpointer, seams).
    exports io.rangedmmap.store.internal to io.rangedmmap.benchmarks;
    // StoreSizeOpenBenchmark's crashed arm removes a clean close's mark from the superblock.
    exports io.rangedmmap.store.internal.format to io.rangedmmap.benchmarks;
}
