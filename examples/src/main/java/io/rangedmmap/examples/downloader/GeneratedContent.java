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
package io.rangedmmap.examples.downloader;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random content of any length, computed from the position: the server needs no file, and any
 * byte range can be produced on its own.
 */
public final class GeneratedContent
{
    private static final int BLOCK = 64 * 1024;

    private final long length;
    private final long seed;

    /**
     * Creates content of {@code length} bytes.
     *
     * @param length bytes.
     * @param seed   selects the content.
     */
    public GeneratedContent(final long length, final long seed)
    {
        this.length = length;
        this.seed = seed;
    }

    /**
     * {@return the length in bytes}
     */
    public long length()
    {
        return length;
    }

    /**
     * Fills {@code dst[0, count)} with the bytes at {@code [position, position + count)}.
     *
     * @param position first byte.
     * @param dst      destination.
     * @param count    how many bytes.
     */
    public void fill(final long position, final byte[] dst, final int count)
    {
        int done = 0;
        while (done < count)
        {
            final long at = position + done;
            final long block = at / BLOCK;
            final int inBlock = (int)(at % BLOCK);
            final SplittableRandom random = new SplittableRandom(seed * 31 + block);
            // Skip to the position inside the block: 8 bytes per nextLong.
            for (int i = 0; i < inBlock / 8; i++)
            {
                random.nextLong();
            }
            long word = random.nextLong();
            int shift = (inBlock % 8) * 8;
            int pos = inBlock;
            while (pos < BLOCK && done < count)
            {
                dst[done++] = (byte)(word >>> shift);
                pos++;
                shift += 8;
                if (64 == shift)
                {
                    word = random.nextLong();
                    shift = 0;
                }
            }
        }
    }

    /**
     * {@return the SHA-256 of the whole content, in hex}
     */
    public String sha256()
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final byte[] buffer = new byte[BLOCK];
            for (long position = 0; position < length; position += BLOCK)
            {
                final int count = (int)Math.min(BLOCK, length - position);
                fill(position, buffer, count);
                digest.update(buffer, 0, count);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
