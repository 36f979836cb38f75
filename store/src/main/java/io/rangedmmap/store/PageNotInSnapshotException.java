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
 * Thrown when a {@link StoreSnapshot} is asked for a page that was not live in its checkpoint: free then, or written
 * or made live by a later checkpoint. The snapshot stays usable.
 */
public final class PageNotInSnapshotException extends PageStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * The page asked for.
     */
    private final long pageId;

    /**
     * The checkpoint the snapshot pins.
     */
    private final long sequence;

    /**
     * Creates the exception.
     *
     * @param store    the store's path, for the message.
     * @param pageId   the page asked for.
     * @param sequence the checkpoint the snapshot pins.
     */
    public PageNotInSnapshotException(final String store, final long pageId, final long sequence)
    {
        super("page=" + pageId + " of " + store + " was not live in checkpoint " + sequence + ", which the snapshot " +
            "pins: it was free then, or made live by a later checkpoint; a snapshot reads only the pages live in its " +
            "checkpoint", null);
        this.pageId = pageId;
        this.sequence = sequence;
    }

    /**
     * {@return the page asked for}
     */
    public long pageId()
    {
        return pageId;
    }

    /**
     * {@return the checkpoint the snapshot pins}
     */
    public long sequence()
    {
        return sequence;
    }
}
