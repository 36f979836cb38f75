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
 * Thrown when a page's bytes do not match the CRC32C recorded when it was written: the page was damaged on disk
 * or in memory after its checkpoint (or, for a page read before its checkpoint, by a stray write).
 *
 * <p>The store stays usable: other pages can still be read, and {@link PageStore#verify()} lists every damaged page.
 */
public final class CorruptPageException extends PageStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * The damaged page.
     */
    private final long pageId;

    /**
     * The CRC32C recorded when the page was written.
     */
    private final int expectedCrc32c;

    /**
     * The CRC32C of the bytes read.
     */
    private final int actualCrc32c;

    /**
     * Creates the exception.
     *
     * @param store          the store's path, for the message.
     * @param pageId         the damaged page.
     * @param expectedCrc32c the CRC32C recorded when the page was written.
     * @param actualCrc32c   the CRC32C of the bytes read.
     */
    public CorruptPageException(
        final String store, final long pageId, final int expectedCrc32c, final int actualCrc32c)
    {
        super("page=" + pageId + " of " + store + " is corrupt: crc32c=0x" + Integer.toHexString(actualCrc32c) +
            ", expected 0x" + Integer.toHexString(expectedCrc32c), null);
        this.pageId = pageId;
        this.expectedCrc32c = expectedCrc32c;
        this.actualCrc32c = actualCrc32c;
    }

    /**
     * {@return the damaged page}
     */
    public long pageId()
    {
        return pageId;
    }

    /**
     * {@return the CRC32C recorded when the page was written}
     */
    public int expectedCrc32c()
    {
        return expectedCrc32c;
    }

    /**
     * {@return the CRC32C of the bytes read}
     */
    public int actualCrc32c()
    {
        return actualCrc32c;
    }
}
