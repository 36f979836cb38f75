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

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child-JVM program run under {@code fiu-run} with {@code msync} failing: prints how each call after the failed
 * flush behaved, one line each.
 */
public final class FlushFailureMain
{
    private FlushFailureMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file.
     * @throws IOException if creating the file fails.
     */
    public static void main(final String[] args) throws IOException
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(Path.of(args[0]), 3 * 4096))
        {
            final MmapFile other = m.file().share();
            final WriteReceipt receipt = m.file().writeRange(m.allocator().allocate(4096).orElseThrow(),
                new byte[4096]);
            report("flushRange", () -> m.file().flushRange(receipt));
            System.out.println("isFailed=" + m.file().isFailed() + " other.isFailed=" + other.isFailed());
            final AllocatedRange next = m.allocator().allocate(4096).orElseThrow();
            report("writeRange", () -> m.file().writeRange(next, new byte[4096]));
            report("flushRange-again", () -> m.file().flushRange(receipt));
            report("syncAll-other", other::syncAll);
            other.close();
        }
    }

    private interface Call
    {
        void run() throws Exception;
    }

    private static void report(final String name, final Call call)
    {
        try
        {
            call.run();
            System.out.println(name + ": returned normally");
        }
        catch (final Exception ex)
        {
            System.out.println(name + ": " + ex.getClass().getSimpleName() + " cause=" +
                (null == ex.getCause() ? "none" : ex.getCause().getClass().getSimpleName()));
        }
    }
}
