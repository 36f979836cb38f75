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

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reading data back and opening an existing file: {@code openDefault} restarts allocation at 0 to read what is
 * there; {@code open(path, type, resumeAt)} continues after it, so nothing old is overwritten.
 */
public final class ReopenExample
{
    private ReopenExample()
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
        run(Path.of(args.length > 0 ? args[0] : "reopen-example.bin"), System.out);
    }

    /**
     * Runs the example.
     *
     * @param file the file to create.
     * @param out  where to print.
     * @return the text read back from both sessions.
     * @throws Exception if anything fails.
     */
    public static String run(final Path file, final PrintStream out) throws Exception
    {
        final long written;
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(file, 4 * 4096))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            m.file().flushRange(m.file().writeRange(range, page("first session")));
            written = range.end();
            out.println("session 1 wrote " + range.length() + " bytes at " + range.start());
        }
        try (Mapping<SequentialAllocator> m = MmapFile.open(file, AllocatorType.SEQUENTIAL, written))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            m.file().flushRange(m.file().writeRange(range, page("second session")));
            out.println("session 2 resumed at " + range.start() + " and wrote " + range.length() + " bytes");
        }
        final StringBuilder text = new StringBuilder();
        try (Mapping<SequentialAllocator> m = MmapFile.openDefault(file))
        {
            for (int i = 0; i < 2; i++)
            {
                final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
                m.file().readRange(range, view ->
                {
                    final int length = view.getInt(0);
                    text.append(view.getStringWithoutLengthUtf8(4, length)).append('\n');
                });
            }
        }
        out.print("read back:\n" + text);
        return text.toString();
    }

    private static byte[] page(final String text)
    {
        final byte[] page = new byte[4096];
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer.wrap(page).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).put(bytes);
        return page;
    }
}
