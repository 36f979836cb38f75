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

import java.nio.file.Path;

/**
 * Child-JVM program: creates a 4 KiB file, writes and flushes a range, and prints what happened.
 */
public final class CreateFileMain
{
    private CreateFileMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file.
     */
    public static void main(final String[] args)
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(Path.of(args[0]), 4096))
        {
            final WriteReceipt receipt = m.file().writeRange(m.allocator().allocate(4096).orElseThrow(),
                new byte[4096]);
            m.file().flushRange(receipt);
            System.out.println("created size=" + m.file().size() + " module=" + MmapFile.class.getModule().getName());
        }
        catch (final Throwable ex)
        {
            System.out.println(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }
}
