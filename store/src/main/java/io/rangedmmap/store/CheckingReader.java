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

import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.store.internal.CallbackGuard;
import io.rangedmmap.store.internal.Crc;
import org.agrona.DirectBuffer;

import java.nio.file.Path;

/**
 * The reader an in-place {@link PageStore#read(long, RangeReader)} hands the mapping: checks the page against its
 * CRC32C, then passes the view to the caller's reader. One per thread, re-armed for each read, so that an in-place
 * read allocates nothing (a capturing lambda would allocate one object per read).
 *
 * <p><b>Thread safety:</b> confined to its thread. A read made from inside another read's callback on the same thread
 * gets a fresh instance, so the outer read's fields are never overwritten.
 */
final class CheckingReader implements RangeReader
{
    private static final ThreadLocal<CheckingReader> CURRENT = ThreadLocal.withInitial(CheckingReader::new);

    private int expected;
    private Path path;
    private long page;
    private RangeReader user;
    private CallbackGuard callbacks;
    private boolean armed;

    /**
     * {@return this thread's reader, armed for one read; {@link #disarm()} it when the read returns}
     *
     * @param expected the page's CRC32C, loaded after the acquire load that proved it readable.
     * @param path  the store, for the message of a corrupt page.
     * @param page  the page.
     * @param user  the caller's reader.
     * @param callbacks the store's guard, entered around the caller's reader so that it cannot close the store.
     */
    static CheckingReader arm(final int expected, final Path path, final long page, final RangeReader user,
        final CallbackGuard callbacks)
    {
        CheckingReader reader = CURRENT.get();
        if (reader.armed)
        {
            reader = new CheckingReader();
        }
        reader.expected = expected;
        reader.path = path;
        reader.page = page;
        reader.user = user;
        reader.callbacks = callbacks;
        reader.armed = true;
        return reader;
    }

    /**
     * Drops the references of the read just done, so that a closed store is not kept reachable from this thread.
     */
    void disarm()
    {
        path = null;
        user = null;
        callbacks = null;
        armed = false;
    }

    @Override
    public void read(final DirectBuffer view)
    {
        final int actual = Crc.of(view);
        if (expected != actual)
        {
            throw new CorruptPageException(path.toString(), page, expected, actual);
        }
        final int[] depth = callbacks.enter();
        try
        {
            user.read(view);
        }
        finally
        {
            CallbackGuard.exit(depth);
        }
    }
}
