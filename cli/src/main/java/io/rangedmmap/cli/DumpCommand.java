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

import io.rangedmmap.store.CorruptPageException;
import io.rangedmmap.store.PageStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code dump <store> <page>}: a page in hex, after its checksum was verified. The store is opened read-only.
 */
@Command(name = "dump", description = "Print one page in hex (its CRC32C is checked first).")
final class DumpCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "<store>", description = "the store file")
    private Path store;

    @Parameters(index = "1", paramLabel = "<page>", description = "the page id")
    private long page;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (PageStore pages = StoreAccess.open(store))
        {
            if (page < 0 || page >= pages.pageCount())
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "page=" + page + " must be in [0, " + pages.pageCount() + ")");
            }
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            try
            {
                pages.read(page, data);
            }
            catch (final CorruptPageException ex)
            {
                spec.commandLine().getErr().println("ranged-mmap: " + ex.getMessage());
                return RangedMmapCli.CORRUPT;
            }
            catch (final IllegalStateException ex)
            {
                spec.commandLine().getErr().println("ranged-mmap: " + ex.getMessage());
                return RangedMmapCli.CANNOT_OPEN;
            }
            out.printf("page %d of %s%n", page, pages.path());
            hex(out, data);
        }
        return 0;
    }

    static void hex(final PrintWriter out, final byte[] data)
    {
        final StringBuilder line = new StringBuilder(80);
        for (int offset = 0; offset < data.length; offset += 16)
        {
            line.setLength(0);
            line.append(String.format("%08x  ", offset));
            final StringBuilder ascii = new StringBuilder(16);
            for (int i = 0; i < 16; i++)
            {
                final int b = data[offset + i] & 0xFF;
                line.append(String.format("%02x ", b));
                if (7 == i)
                {
                    line.append(' ');
                }
                ascii.append(b >= 0x20 && b < 0x7F ? (char)b : '.');
            }
            out.println(line.append(" |").append(ascii).append('|'));
        }
    }
}
