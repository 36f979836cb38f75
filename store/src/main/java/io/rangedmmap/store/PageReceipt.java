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
package io.rangedmmap.store;

/**
 * Proof that a page was written completely, issued by {@link PageWriter#write(long, byte[])} and its overloads, and
 * the only way to make a page durable: pass it to {@link PageStore#checkpoint(java.util.Collection)}.
 *
 * <p>A receipt is bound to the store instance that issued it and to this one write of its page: a receipt of
 * another store, of the same file before it was closed and opened again, or of an earlier write of a page that was
 * since freed and written again (a stale receipt), is refused with {@link IllegalArgumentException}. It cannot be
 * forged (no public constructor) and carries the CRC32C of the page's 4096 bytes as written.
 *
 * <p>A receipt ends in one of two ways: a checkpoint makes its page live, or the writer that issued it discards it
 * ({@link PageWriter#discard(PageReceipt)}) and its page is free at once. A discarded receipt is refused by
 * {@code checkpoint} with {@link IllegalArgumentException}, and a receipt in a checkpoint call cannot be discarded.
 *
 * <p><b>Thread safety:</b> immutable; it may be passed between threads.
 */
public final class PageReceipt
{
    /**
     * The writer that issued it, and through it the store: one reference, so that a receipt stays 32 bytes.
     */
    private final PageWriter writer;
    private final long pageId;
    private final int crc32c;
    private final int stamp;

    PageReceipt(final PageWriter writer, final long pageId, final int crc32c, final int stamp)
    {
        this.writer = writer;
        this.pageId = pageId;
        this.crc32c = crc32c;
        this.stamp = stamp;
    }

    /**
     * {@return the page written}
     */
    public long pageId()
    {
        return pageId;
    }

    /**
     * {@return the CRC32C of the page's 4096 bytes as written}
     */
    public int crc32c()
    {
        return crc32c;
    }

    PageStore store()
    {
        return writer.store();
    }

    PageWriter writer()
    {
        return writer;
    }

    /**
     * {@return the write stamp of the write this receipt proves, as recorded in the page's state word}
     */
    int stamp()
    {
        return stamp;
    }

    @Override
    public String toString()
    {
        return "PageReceipt{pageId=" + pageId + ", crc32c=0x" + Integer.toHexString(crc32c) + ", store=" +
            writer.store().path() + "}";
    }
}
