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
package io.rangedmmap.cli;

import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.StoreStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code info <store>}: format, size, live and free pages, last checkpoint, the superblock it was opened from (and
 * why the other was rejected, if it was), roots. The store is opened read-only.
 */
@Command(name = "info", description = "Show a store's format, size, pages live/free, last checkpoint, superblock "
    + "and roots (opened read-only).")
final class InfoCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "<store>", description = "the store file")
    private Path store;

    @CommandLine.Option(names = "--json", description = "print one JSON object instead of text (see StoreJson)")
    private boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final var out = spec.commandLine().getOut();
        try (PageStore pages = StoreAccess.open(store))
        {
            if (json)
            {
                StoreJson.print(out, pages, null);
                return 0;
            }
            final StoreStats stats = pages.stats();
            out.printf("store:           %s%n", pages.path());
            out.printf("format:          ranged-mmap page store, page size %d bytes%n", PageStore.PAGE_SIZE);
            out.printf("file size:       %,d bytes%n", Files.size(store));
            out.printf("user pages:      %,d (%,d bytes)%n", stats.pageCount(),
                stats.pageCount() * PageStore.PAGE_SIZE);
            out.printf("live pages:      %,d%n", stats.livePages());
            out.printf("free pages:      %,d%n", stats.freePages());
            out.printf("last checkpoint: %d%n", stats.lastCheckpoint());
            StoreAccess.printSuperblock(out, pages);
            final StringBuilder roots = new StringBuilder();
            for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
            {
                final long root = pages.root(slot);
                if (0 != root)
                {
                    roots.append(roots.isEmpty() ? "" : ", ").append(slot).append('=').append(root);
                }
            }
            out.printf("roots:           %s%n", roots.isEmpty() ? "(all 0)" : roots);
        }
        return 0;
    }
}
