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
 * Arithmetic shared by the allocators.
 */
final class Allocation
{
    private Allocation()
    {
    }

    /**
     * Checks a request and rounds it up to 4 KiB, clamped first to the file so that rounding cannot overflow and
     * one request never moves a counter by more than the file's aligned size.
     */
    static long roundedRequest(final long length, final long totalSize)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("length=" + length + " must be > 0");
        }
        return Alignment.alignUp(Math.min(length, Alignment.alignUp(totalSize)));
    }

    /**
     * {@return the end of an exact range starting at {@code start}, or -1 if it does not fit}
     */
    static long exactEnd(final long start, final long want, final long length, final long totalSize)
    {
        if (start >= totalSize || length > totalSize - start)
        {
            return -1;
        }
        // Only the last range of an unaligned file may be shorter than the rounded request, never than length.
        return Math.min(start + want, totalSize);
    }
}
