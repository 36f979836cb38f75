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
package io.rangedmmap.examples;

import io.rangedmmap.mmap.RawMmapFile;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The raw API (the Rust crate's {@code MmapFileInner}): write at any offset with no range tokens. The caller keeps
 * writes from overlapping; the library still bounds-checks every access.
 */
public final class RawApiExample
{
    private RawApiExample()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file to create (must not exist).
     * @throws Exception if anything fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(Path.of(args.length > 0 ? args[0] : "raw-example.bin"), System.out);
    }

    /**
     * Runs the example.
     *
     * @param file the file to create.
     * @param out  where to print.
     * @throws Exception if anything fails.
     */
    public static void run(final Path file, final PrintStream out) throws Exception
    {
        try (RawMmapFile raw = RawMmapFile.create(file, 1024))
        {
            final RawMmapFile first = raw.share();
            final RawMmapFile second = raw.share();
            // Non-overlapping by the caller's own arithmetic: [0, 512) and [512, 1024).
            final Thread a = Thread.ofPlatform().start(() -> first.writeAt(0, filled(512, 1)));
            final Thread b = Thread.ofPlatform().start(() -> second.writeAt(512, filled(512, 2)));
            a.join();
            b.join();
            first.close();
            second.close();
            raw.flush();
            final byte[] back = new byte[2];
            raw.readAt(511, back);
            out.println("bytes 511 and 512: " + back[0] + ", " + back[1]);
            try
            {
                raw.writeAt(1000, new byte[100]);
            }
            catch (final IndexOutOfBoundsException ex)
            {
                out.println("out of bounds refused: " + ex.getMessage());
            }
        }
    }

    static byte[] filled(final int length, final int value)
    {
        final byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte)value);
        return data;
    }
}
