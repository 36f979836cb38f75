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
 * Lock-free concurrent writes to non-overlapping, 4 KiB-aligned ranges of a memory-mapped file.
 *
 * <p><b>Model.</b> {@link io.rangedmmap.mmap.MmapFile#create MmapFile.create} makes a fixed-size file and returns
 * it with its one {@link io.rangedmmap.mmap.RangeAllocator} in a {@link io.rangedmmap.mmap.Mapping}. Threads take
 * {@link io.rangedmmap.mmap.AllocatedRange}s from the allocator (a {@link io.rangedmmap.mmap.SequentialAllocator}
 * for one thread, a wait-free {@link io.rangedmmap.mmap.ConcurrentAllocator} for many) and write them with no lock
 * and no system call; each write returns a {@link io.rangedmmap.mmap.WriteReceipt}, and only a receipt can be
 * flushed. {@link io.rangedmmap.mmap.RawMmapFile} drops the ranges for callers that keep their own bookkeeping.
 *
 * <p><b>What is enforced at run time</b> (the Rust crate only claims it): ranges come only from the file's
 * allocator and never overlap; a range or receipt of another file is refused; a write must fill its range exactly;
 * two threads cannot write, or write and read, one range at once; every raw access is bounds-checked; a closed
 * handle throws instead of crashing the JVM, and closing waits for the accesses in flight.
 *
 * <p><b>Durability.</b> Writes reach the page cache (they survive a process crash); {@code flushRange} and
 * {@code syncAll} make them durable with {@code msync(MS_SYNC)}. The first flush error or mapping fault fails the
 * file for good: nothing is reported durable afterwards. {@code create} reserves the file's blocks, so a full disk
 * fails {@code create}, not a later write.
 *
 * <p><b>JVM flags.</b> Run with {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} (for Agrona's
 * {@code UnsafeBuffer}) and {@code --enable-native-access=ALL-UNNAMED} (for {@code posix_fallocate} and
 * {@code madvise}); without them the first call throws {@link io.rangedmmap.mmap.MissingJvmFlagException} naming
 * what is missing. Runnable jars set them with the manifest entries {@code Add-Opens: java.base/jdk.internal.misc}
 * and {@code Enable-Native-Access: ALL-UNNAMED}.
 *
 * <p><b>Threads.</b> Every class states its own rules; in short, file handles and the concurrent allocator are
 * safe from any number of threads, the sequential allocator from one at a time.
 */
package io.rangedmmap.mmap;
