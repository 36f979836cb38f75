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

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of the quick start: creates a store and runs {@link StoreWorkload} on it until the parent kills it,
 * printing one line per checkpoint once that checkpoint returned (so is durable):
 * {@code ack <sequence> <pageId>,<pageId>,... end}. A line cut short by the kill lacks its {@code end} and is not an
 * acknowledgement.
 */
public final class CrashChild
{
    /**
     * Pages the child's store holds: more than it can write before the parent kills it.
     */
    public static final long STORE_PAGES = 16_384;

    /**
     * Pages written but not yet durable above which the child's writers wait: keeps each checkpoint small, so the
     * kill lands among many of them rather than after the writers are done.
     */
    public static final int MAX_IN_FLIGHT = 512;

    private CrashChild()
    {
    }

    /**
     * Entry point.
     *
     * @param args {@code STORE SEED WRITERS}; the acknowledgements go to standard output.
     * @throws Exception if anything fails.
     */
    public static void main(final String[] args) throws Exception
    {
        if (3 != args.length)
        {
            throw new IllegalArgumentException("usage: CrashChild STORE SEED WRITERS; got " + args.length + " args");
        }
        final Path path = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final int writers = Integer.parseInt(args[2]);
        final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
            StandardCharsets.US_ASCII);
        try (PageStore store = PageStore.create(path, STORE_PAGES))
        {
            StoreWorkload.run(store, writers, (STORE_PAGES - 1024) / writers, seed, MAX_IN_FLIGHT,
                (checkpoint, pages) ->
            {
                final StringBuilder line = new StringBuilder(16 + pages.length * 7).append("ack ")
                    .append(checkpoint.sequence()).append(' ');
                for (int i = 0; i < pages.length; i++)
                {
                    line.append(0 == i ? "" : ",").append(pages[i]);
                }
                out.print(line.append(" end\n"));
                out.flush();
            });
        }
        out.println("finished");
        out.flush();
    }
}
