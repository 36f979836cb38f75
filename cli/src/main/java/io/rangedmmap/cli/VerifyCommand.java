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

import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.StoreFailedException;
import io.rangedmmap.store.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code verify <store>}: every checksum of every live page and all metadata, both superblocks and both metadata
 * copies included; exit code 1 on any corruption, a damaged spare superblock or metadata copy, or a store whose
 * metadata is too damaged to open or fails the store when verify loads it. The store is opened read-only.
 */
@Command(name = "verify", description = "Check every live page's CRC32C and all metadata; exit code 1 on corruption.")
final class VerifyCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "<store>", description = "the store file")
    private Path store;

    @CommandLine.Option(names = "--progress", negatable = true,
        description = "draw a progress bar on standard error (default: on for stores of 100,000 pages or more)")
    private Boolean progress;

    @CommandLine.Option(names = "--json", description = "print one JSON object instead of text (see StoreJson)")
    private boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PageStore pages;
        try
        {
            pages = StoreAccess.open(store);
        }
        catch (final IncompatibleStoreException ex)
        {
            return refused(out, ex);
        }
        try (pages)
        {
            final ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), pages.pageCount(), progress);
            final VerifyReport report;
            try
            {
                report = pages.verify(bar);
            }
            catch (final StoreFailedException ex)
            {
                bar.finish();
                // The open reads only what the newest checkpoint wrote; verify loads every metadata group, and one
                // that fails its check fails the store (fail-stop), with the open's typed error as the cause.
                if (ex.getCause() instanceof IncompatibleStoreException damaged)
                {
                    return corrupt(out, damaged, "the store failed on it");
                }
                throw ex;
            }
            bar.finish();
            if (json)
            {
                StoreJson.print(out, pages, report);
                return report.isClean() ? 0 : RangedMmapCli.CORRUPT;
            }
            out.printf("checked %,d live pages and %,d metadata pages of %s%n", report.pagesChecked(),
                report.metadataPagesChecked(), pages.path());
            for (final long page : report.corruptPages())
            {
                out.printf("CORRUPT page %d: its CRC32C does not match the checksum table%n", page);
            }
            for (final String problem : report.metadataProblems())
            {
                out.printf("CORRUPT metadata: %s%n", problem);
            }
            for (final String problem : report.redundancyProblems())
            {
                out.printf("DAMAGED spare metadata (the store cannot fall back to its previous checkpoint until the " +
                    "next checkpoint rewrites it): %s%n", problem);
            }
            StoreAccess.printSuperblock(out, pages);
            out.println(report.isClean() ? "OK: no corruption found" : "FAILED: corruption found");
            return report.isClean() ? 0 : RangedMmapCli.CORRUPT;
        }
    }

    /**
     * A store that open refuses for damage (its current metadata corrupt, or a size its superblock does not imply)
     * is corruption found: exit 1. One it refuses as not a store, or of a newer format, could not be opened: exit 3.
     */
    private int refused(final PrintWriter out, final IncompatibleStoreException ex)
    {
        return corrupt(out, ex, "the store cannot be opened");
    }

    private int corrupt(final PrintWriter out, final IncompatibleStoreException ex, final String consequence)
    {
        if (IncompatibleStoreException.Problem.CORRUPT_METADATA != ex.problem() &&
            IncompatibleStoreException.Problem.SIZE_MISMATCH != ex.problem())
        {
            throw ex;
        }
        out.printf("CORRUPT metadata: %s%n", ex.getMessage());
        out.printf("FAILED: corruption found (%s)%n", consequence);
        return RangedMmapCli.CORRUPT;
    }
}
