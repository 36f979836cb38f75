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
 * ranged-mmap: a memory-mapped file written by many threads at once, each into its own range.
 *
 * <p>The API is {@code io.rangedmmap.mmap}; {@code io.rangedmmap.mmap.internal} holds the mechanics and is exported
 * only to the page store built on them and to the benchmarks that measure them. JVM flags on the module path:
 * {@code --add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap} (on the class
 * path, the same with {@code ALL-UNNAMED}).
 */
// "module": the store and the benchmarks are built after this module; Agrona has no module-info, its jar names its
// module org.agrona.
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module io.rangedmmap.mmap
{
    // Views passed to RangeWriter and RangeReader are Agrona buffers.
    requires transitive org.agrona;
    requires org.slf4j;

    exports io.rangedmmap.mmap;
    // The store is built on the mechanics; the benchmarks measure them layer by layer.
    exports io.rangedmmap.mmap.internal to io.rangedmmap.store, io.rangedmmap.benchmarks;
}
