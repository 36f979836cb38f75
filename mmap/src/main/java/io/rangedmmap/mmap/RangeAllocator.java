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
package io.rangedmmap.mmap;

import java.util.Optional;

/**
 * Hands out non-overlapping, 4 KiB-aligned ranges of one file; the only source of {@link AllocatedRange}s.
 *
 * <p>A file comes with exactly one allocator ({@link MmapFile#create(java.nio.file.Path, long, AllocatorType,
 * CreateOption...)} returns both in a {@link Mapping}); there is no public constructor, so no second allocator can
 * hand out the same ranges again. Every range starts on a multiple of {@link Alignment#ALIGNMENT} and its length is
 * rounded up to one, except the last range of a file whose size is not a multiple of 4096, which ends at the end of
 * the file.
 *
 * <p><b>Thread safety:</b> see each implementation: {@link SequentialAllocator} is for one thread,
 * {@link ConcurrentAllocator} for any number.
 */
public sealed interface RangeAllocator permits SequentialAllocator, ConcurrentAllocator
{
    /**
     * Allocates the next range of {@code length} bytes rounded up to 4 KiB, or what is left of the file if that is
     * less (as the Rust crate does).
     *
     * @param length how many bytes are wanted.
     * @return the range, or empty only when nothing is left.
     * @throws IllegalArgumentException if {@code length <= 0}.
     */
    Optional<AllocatedRange> allocate(long length);

    /**
     * Allocates the next range of {@code length} bytes rounded up to 4 KiB, never a shorter one: empty if that does
     * not fit. The last range of a file whose size is not a multiple of 4096 may be shorter than the rounded length,
     * but never shorter than {@code length}.
     *
     * @param length how many bytes are needed.
     * @return the range, or empty when it does not fit in what is left.
     * @throws IllegalArgumentException if {@code length <= 0}.
     */
    Optional<AllocatedRange> allocateExact(long length);

    /**
     * {@return how many bytes are left to allocate} A snapshot under concurrent allocation.
     */
    long remaining();

    /**
     * {@return the size of the file the allocator allocates from}
     */
    long totalSize();
}
