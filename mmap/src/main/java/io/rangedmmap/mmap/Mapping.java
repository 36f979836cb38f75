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

/**
 * A newly created or opened {@link MmapFile} together with its one and only {@link RangeAllocator}.
 *
 * <p>Closing the mapping closes the file handle; the allocator needs no closing.
 *
 * @param file      the file handle.
 * @param allocator the file's allocator.
 * @param <A>       the allocator type.
 */
public record Mapping<A extends RangeAllocator>(MmapFile file, A allocator) implements AutoCloseable
{
    /**
     * Closes {@link #file()}; see {@link MmapFile#close()}.
     */
    @Override
    public void close()
    {
        file.close();
    }
}
