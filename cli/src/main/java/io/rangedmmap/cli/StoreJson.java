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
import io.rangedmmap.store.VerifyReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;

/**
 * The {@code --json} output of {@code info} and {@code verify}: one JSON object on one line, for scripts.
 *
 * <pre>{@code
 * {"store":"/data/s.store","format":"ranged-mmap page store","pageSize":4096,"fileSizeBytes":...,
 *  "userPages":64,"userBytes":262144,"pages":{"live":5,"free":59,"inFlight":0},"lastCheckpoint":1,
 *  "roots":[0,0,0,42,...],"verified":true,"pagesChecked":5,"metadataPagesChecked":3,
 *  "problems":[{"kind":"corruptPage","page":7,"message":"..."},{"kind":"metadata","message":"..."}],"clean":true}
 * }</pre>
 *
 * <p>{@code info} prints the same object with {@code "verified":false}, no counts of checked pages and an empty
 * {@code problems} list: it reads the metadata, not the pages. Kept apart from the commands so their text output
 * and this format change independently.
 */
final class StoreJson
{
    private final StringBuilder json = new StringBuilder(512);

    private StoreJson()
    {
    }

    /**
     * Prints {@code store}'s description, and {@code report}'s findings if not {@code null}, as one JSON line.
     *
     * @param out    where to print.
     * @param store  the open store.
     * @param report what {@code verify} found, or {@code null} for {@code info}.
     * @throws IOException if the file's size cannot be read.
     */
    static void print(final PrintWriter out, final PageStore store, final VerifyReport report) throws IOException
    {
        out.println(describe(store, report));
        out.flush();
    }

    /**
     * {@return the JSON object for {@code store} and, if not {@code null}, {@code report}}
     *
     * @param store  the open store.
     * @param report what {@code verify} found, or {@code null}.
     * @throws IOException if the file's size cannot be read.
     */
    static String describe(final PageStore store, final VerifyReport report) throws IOException
    {
        final StoreJson object = new StoreJson();
        final StoreStats stats = store.stats();
        object.open('{').string("store", store.path().toString())
            .string("format", "ranged-mmap page store")
            .number("pageSize", PageStore.PAGE_SIZE)
            .number("fileSizeBytes", Files.size(store.path()))
            .number("userPages", stats.pageCount())
            .number("userBytes", stats.pageCount() * PageStore.PAGE_SIZE)
            .name("pages").open('{').number("live", stats.livePages()).number("free", stats.freePages())
            .number("inFlight", stats.inFlightPages()).close('}')
            .number("lastCheckpoint", stats.lastCheckpoint())
            .name("roots").open('[');
        for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
        {
            object.value(Long.toString(store.root(slot)));
        }
        object.close(']').literal("verified", null != report);
        if (null != report)
        {
            object.number("pagesChecked", report.pagesChecked())
                .number("metadataPagesChecked", report.metadataPagesChecked());
        }
        object.name("problems").open('[');
        if (null != report)
        {
            for (final long page : report.corruptPages())
            {
                object.open('{').string("kind", "corruptPage").number("page", page)
                    .string("message", "page " + page + ": its CRC32C does not match the checksum table").close('}');
            }
            for (final String problem : report.metadataProblems())
            {
                object.open('{').string("kind", "metadata").string("message", problem).close('}');
            }
        }
        object.close(']').literal("clean", null == report || report.isClean()).close('}');
        return object.json.toString();
    }

    private StoreJson open(final char bracket)
    {
        comma();
        json.append(bracket);
        return this;
    }

    private StoreJson close(final char bracket)
    {
        json.append(bracket);
        return this;
    }

    private StoreJson name(final String name)
    {
        comma();
        quote(name);
        json.append(':');
        return this;
    }

    private StoreJson string(final String name, final String value)
    {
        name(name);
        quote(value);
        return this;
    }

    private StoreJson number(final String name, final long value)
    {
        name(name);
        json.append(value);
        return this;
    }

    private StoreJson literal(final String name, final boolean value)
    {
        name(name);
        json.append(value);
        return this;
    }

    private StoreJson value(final String raw)
    {
        comma();
        json.append(raw);
        return this;
    }

    private void comma()
    {
        // A comma goes between members: after a value or a closed bracket, never after an opening one or a name.
        final int last = json.length() - 1;
        if (last >= 0 && '{' != json.charAt(last) && '[' != json.charAt(last) && ':' != json.charAt(last))
        {
            json.append(',');
        }
    }

    private void quote(final String text)
    {
        json.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        json.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
