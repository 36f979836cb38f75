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
package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.RawMmapFile;

/**
 * The one place the store tells the kernel how it uses the page cache of a writable store file: every byte of the
 * mapping is advised {@code MADV_RANDOM} before anything touches it (at create, at open before recovery reads, and for
 * the new bytes of every growth before they are handed out).
 *
 * <p><b>Why.</b> Without the advice, the kernel (Linux 6.x with large folios for ext4) reads ahead around a fault and
 * caches the file in folios of up to 2 MiB. A page written through the mapping dirties its whole folio, and the
 * checkpoint's {@code msync} then writes the whole folio back: measured on this project's machine, a one-page
 * checkpoint of a store created at its final size wrote 2,055 KiB to the device and took 2.3-2.4 ms at the median,
 * against 13.5 KiB and 0.35-0.6 ms with the advice ({@code benchmarks/results/2026-11-29-page-cache-folios}). With
 * {@code MADV_RANDOM} a fault reads no neighbours, so the file is cached in 4 KiB folios and a checkpoint writes back
 * exactly the pages it changed. LMDB's {@code MDB_NORDAHEAD} gives the same advice, for reads.
 *
 * <p><b>What it costs.</b> Each page is faulted in on its own (no read-around), which bulk writers pay once per page
 * unless they prefault with {@code PageStore.advise(..., POPULATE_WRITE)}; sequential scans read ahead less. Pages
 * already in the page cache in large folios when the store is opened (written by another program, say) keep their
 * folios until the kernel drops them. Read-only stores are not advised: they never write back.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class PageCacheAdvice
{
    private PageCacheAdvice()
    {
    }

    /**
     * Advises {@code [from, to)} of a writable store file's mapping; does nothing if the range is empty.
     *
     * @param file the store file, writable.
     * @param from the first byte.
     * @param to   the end, at most the file's size.
     * @throws NativeCallException if the kernel refuses the advice.
     */
    public static void apply(final RawMmapFile file, final long from, final long to) throws NativeCallException
    {
        if (to > from)
        {
            file.advise(from, to - from, Advice.RANDOM);
        }
    }
}
