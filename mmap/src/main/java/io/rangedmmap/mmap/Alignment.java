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
 * The 4 KiB alignment every {@link AllocatedRange} starts on, and checked arithmetic for it.
 *
 * <p>Unlike the Rust crate's {@code align_up}, which wraps to 0 near {@code u64::MAX}, every method here rejects
 * negative input and results that would overflow a {@code long}.
 *
 * <p><b>Thread safety:</b> stateless; safe from any thread.
 */
public final class Alignment
{
    /**
     * The alignment of every range start and of every range length but a file's last one: 4096 bytes.
     */
    public static final long ALIGNMENT = 4096L;

    private static final long MASK = ALIGNMENT - 1;

    /**
     * The largest value {@link #alignUp(long)} accepts: the largest multiple of {@link #ALIGNMENT} that fits a
     * {@code long}.
     */
    public static final long MAX_ALIGNABLE = Long.MAX_VALUE & ~MASK;

    private Alignment()
    {
    }

    /**
     * {@return {@code value} rounded up to the next multiple of 4096} A value that is already aligned is returned
     * unchanged.
     *
     * @param value a non-negative value.
     * @throws IllegalArgumentException if {@code value < 0}, or if {@code value > MAX_ALIGNABLE} so that the
     *                                  result would overflow.
     */
    public static long alignUp(final long value)
    {
        if (value < 0 || value > MAX_ALIGNABLE)
        {
            throw new IllegalArgumentException(
                "value=" + value + " must be in [0, " + MAX_ALIGNABLE + "] to be aligned up to " + ALIGNMENT);
        }
        return (value + MASK) & ~MASK;
    }

    /**
     * {@return {@code value} rounded down to a multiple of 4096}
     *
     * @param value a non-negative value.
     * @throws IllegalArgumentException if {@code value < 0}.
     */
    public static long alignDown(final long value)
    {
        checkNonNegative(value);
        return value & ~MASK;
    }

    /**
     * {@return whether {@code value} is a multiple of 4096}
     *
     * @param value a non-negative value.
     * @throws IllegalArgumentException if {@code value < 0}.
     */
    public static boolean isAligned(final long value)
    {
        checkNonNegative(value);
        return 0 == (value & MASK);
    }

    private static void checkNonNegative(final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("value=" + value + " must be >= 0");
        }
    }
}
