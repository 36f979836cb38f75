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
package io.rangedmmap.store.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A growth of a store: its file extended and the new pages handed to the writers, timed from the start of the
 * extension to the pages reaching the pool. An operator watches for its frequency and duration (each is a
 * {@code posix_fallocate} and a flush of the new metadata pages).
 */
@Name("io.rangedmmap.store.Growth")
@Label("Page Store Growth")
@Category({"ranged-mmap", "Page Store"})
@Description("A store grew: its file was extended and the new pages handed to the writers")
@StackTrace(false)
public final class GrowthEvent extends Event
{
    @Label("Store")
    @Description("The store file")
    String store;

    @Label("Old Page Count")
    @Description("The number of user pages before the growth")
    long oldPageCount;

    @Label("New Page Count")
    @Description("The number of user pages after the growth")
    long newPageCount;

    @Label("Max Pages")
    @Description("The largest number of user pages the store may grow to")
    long maxPages;

    @Label("File Size")
    @Description("The size of the store file after the growth")
    @DataAmount
    long fileSize;

    /**
     * Creates an event; {@link #begin()} it before the growth and {@link #end(String, long, long, long, long)} it
     * after.
     */
    public GrowthEvent()
    {
    }

    /**
     * Ends the event and commits it if a recording enables it.
     *
     * @param store        the store file.
     * @param oldPageCount the page count before.
     * @param newPageCount the page count after.
     * @param maxPages     the store's maxPages.
     * @param fileSize     the file size after.
     */
    public void end(final String store, final long oldPageCount, final long newPageCount, final long maxPages,
        final long fileSize)
    {
        end();
        if (shouldCommit())
        {
            this.store = store;
            this.oldPageCount = oldPageCount;
            this.newPageCount = newPageCount;
            this.maxPages = maxPages;
            this.fileSize = fileSize;
            commit();
        }
    }
}
