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
 * The JMH benchmarks. They measure the library's layers one by one (the close gate and the native calls, the store's
 * formatter, checkpointer and seams), so the library exports its {@code internal} packages to this module alone
 * (qualified exports, as the JDK exports {@code jdk.internal} packages to named modules); every other module sees the
 * exported API only.
 *
 * <p>The runnable {@code benchmarks.jar} is shaded and runs from the class path ({@code java -jar}), as JMH's forks
 * do; this descriptor is what javac checks the benchmarks and the harness JMH generates against.
 */
@SuppressWarnings({"requires-automatic", "module"}) // JMH, lmdbjava, RocksDB, HdrHistogram, XChart are automatic
module io.rangedmmap.benchmarks
{
    requires io.rangedmmap.store;
    requires jmh.core;
    requires lmdbjava;
    requires rocksdbjni;
    requires HdrHistogram;
    requires org.knowm.xchart;
    requires java.sql;        // SQLite through JDBC (the driver, org.xerial.sqlitejdbc, is found at run time)
    requires java.management; // the allocation and GC counters
}
