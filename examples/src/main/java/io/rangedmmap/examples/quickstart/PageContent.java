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
package io.rangedmmap.examples.quickstart;

import io.rangedmmap.store.PageStore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes the quick start writes into each page: a function of a run's seed and the page's id only, so that a
 * reader who knows the seed can check any page byte for byte without a copy of what was written.
 *
 * <p><b>Thread safety:</b> stateless; each caller brings its own buffer.
 */
public final class PageContent
{
    private PageContent()
    {
    }

    /**
     * Fills {@code page} with the content of page {@code pageId} for {@code seed}.
     *
     * @param seed   the run's seed.
     * @param pageId the page.
     * @param page   exactly {@link PageStore#PAGE_SIZE} bytes.
     */
    public static void fill(final long seed, final long pageId, final byte[] page)
    {
        final ByteBuffer longs = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        // The first word names the page, so a page written at the wrong place can never pass for the right one.
        longs.putLong(0, pageId);
        long state = seed ^ pageId * 0x9E3779B97F4A7C15L;
        for (int at = Long.BYTES; at < PageStore.PAGE_SIZE; at += Long.BYTES)
        {
            state += 0x9E3779B97F4A7C15L;
            longs.putLong(at, mix(state));
        }
    }

    private static long mix(final long value)
    {
        // SplitMix64's finaliser: cheap, and every bit of the input reaches every bit of the output.
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
