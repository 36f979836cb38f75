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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlignmentTest
{
    @Test
    void shouldRoundUpAndDownToMultiplesOf4096()
    {
        assertEquals(4096L, Alignment.ALIGNMENT);
        assertEquals(0, Alignment.alignUp(0));
        assertEquals(4096, Alignment.alignUp(1));
        assertEquals(4096, Alignment.alignUp(4096));
        assertEquals(8192, Alignment.alignUp(4097));
        assertEquals(0, Alignment.alignDown(4095));
        assertEquals(4096, Alignment.alignDown(8191));
        assertEquals(Alignment.MAX_ALIGNABLE, Alignment.alignUp(Alignment.MAX_ALIGNABLE));
        assertEquals(Alignment.MAX_ALIGNABLE, Alignment.alignDown(Long.MAX_VALUE));
        assertTrue(Alignment.isAligned(0));
        assertTrue(Alignment.isAligned(8192));
        assertFalse(Alignment.isAligned(8193));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -4096, Long.MIN_VALUE})
    void shouldRejectNegativeValues(final long value)
    {
        final String expected = "value=" + value + " must be";
        assertTrue(assertThrowsExactly(IllegalArgumentException.class, () -> Alignment.alignUp(value))
            .getMessage().startsWith(expected));
        assertEquals("value=" + value + " must be >= 0",
            assertThrowsExactly(IllegalArgumentException.class, () -> Alignment.alignDown(value)).getMessage());
        assertEquals("value=" + value + " must be >= 0",
            assertThrowsExactly(IllegalArgumentException.class, () -> Alignment.isAligned(value)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 4094, Alignment.MAX_ALIGNABLE + 1})
    void shouldRejectAlignUpThatWouldOverflow(final long value)
    {
        assertEquals("value=" + value + " must be in [0, " + Alignment.MAX_ALIGNABLE + "] to be aligned up to 4096",
            assertThrowsExactly(IllegalArgumentException.class, () -> Alignment.alignUp(value)).getMessage());
    }
}
