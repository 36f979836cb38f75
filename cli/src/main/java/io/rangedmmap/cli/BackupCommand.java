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

import io.rangedmmap.store.Checkpoint;
import io.rangedmmap.store.PageStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code backup <store> <target>}: writes a backup of the store's last durable checkpoint to a new file, or with
 * {@code --incremental} brings an existing backup of it forward, copying only the pages that changed. The store is
 * opened read-only, so it must not be held open by a writer: a live store is backed up from inside its process with
 * {@code PageStore.backup} and {@code PageStore.backupTo}.
 */
@Command(name = "backup",
    description = {"Write a backup of a store (one that no process holds open) to a new file, or with " +
        "--incremental bring an existing backup of it up to date, copying only the changed pages.",
        "A live store is backed up from inside the process that holds it, through the API: PageStore.backup(target) " +
        "and PageStore.backupTo(existingBackup)."})
final class BackupCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "<store>", description = "the store file")
    private Path store;

    @Parameters(index = "1", paramLabel = "<target>",
        description = "the backup file: created (must not exist), or with --incremental an earlier backup of <store>")
    private Path target;

    @CommandLine.Option(names = "--incremental",
        description = "bring the existing backup <target> up to date instead of creating it")
    private boolean incremental;

    @CommandLine.Option(names = "--progress", negatable = true,
        description = "draw a progress bar on standard error (default: on for stores of 100,000 pages or more)")
    private Boolean progress;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (PageStore pages = StoreAccess.open(store))
        {
            final ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), pages.pageCount(), progress);
            final Checkpoint checkpoint = incremental ? pages.backupTo(target, bar) : pages.backup(target, bar);
            bar.finish();
            out.printf("%s checkpoint %d of %s to %s: %,d pages copied, %,d metadata pages, %,d bytes in %.1f ms%n",
                incremental ? "brought backup forward to" : "backed up", checkpoint.sequence(), pages.path(),
                target.toAbsolutePath(), checkpoint.pagesFlushed(), checkpoint.metadataPagesFlushed(),
                checkpoint.bytesFlushed(), checkpoint.durationNanos() / 1e6);
            return 0;
        }
    }
}
