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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.StoreIo;

import java.nio.file.Path;

/**
 * A {@link StoreIo} that simulates a disk under power loss: it keeps, for every byte of the file, the content it had
 * at its last flush (what a power loss cannot take away), and calls a crash-point hook before each flush. It does not
 * msync: nothing here needs the real disk. The pages dirtied since their last flush are those where the mapping
 * differs from the recorded durable bytes, which also catches the user page writes that bypass the seam.
 */
final class PowerLossRecorder implements StoreIo
{
    interface CrashPoint
    {
        void reached(RawMmapFile file, String where);
    }

    private byte[] durable;
    private volatile CrashPoint crashPoint = (file, where) ->
    {
    };
    private volatile CrashPoint afterFlush = (file, where) ->
    {
    };
    private long flushes;

    PowerLossRecorder(final byte[] durableAtOpen)
    {
        this.durable = durableAtOpen;
    }

    void onCrashPoint(final CrashPoint hook)
    {
        this.crashPoint = hook;
    }

    /**
     * Calls {@code hook} after each flush, with the flushed range; from the flushing thread.
     */
    void afterFlush(final CrashPoint hook)
    {
        this.afterFlush = hook;
    }

    /**
     * {@return the durable bytes; the caller reads them only between flushes (from the flushing thread)}
     */
    byte[] durable()
    {
        return durable;
    }

    long flushes()
    {
        return flushes;
    }

    @Override
    public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
    {
        file.writeAt(offset, page);
    }

    @Override
    public void flushRange(final RawMmapFile file, final long offset, final long length)
    {
        crashPoint.reached(file, "before flush of [" + offset + ", " + (offset + length) + ")");
        if (file.size() > durable.length)
        {
            // A growth's flush: the file's new size is durable from here on (the new bytes are reserved zeros).
            durable = java.util.Arrays.copyOf(durable, (int)file.size());
        }
        final long from = offset - offset % PageStore.PAGE_SIZE;
        final long to = Math.min(durable.length, (offset + length + PageStore.PAGE_SIZE - 1) /
            PageStore.PAGE_SIZE * PageStore.PAGE_SIZE);
        file.readAt(from, durable, (int)from, (int)(to - from));
        flushes++;
        afterFlush.reached(file, "[" + offset + ", " + (offset + length) + ")");
    }

    @Override
    public void syncDirectory(final Path directory)
    {
    }
}
