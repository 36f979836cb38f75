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

import io.rangedmmap.store.internal.format.StoreLayout;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C of whole pages, from arrays, buffers and in-place views, allocating nothing once a thread is warm.
 *
 * <p>The JDK computes CRC32C (with its intrinsic) only from an array or a {@link ByteBuffer}, and a view of the
 * mapping is an address. Wrapping each page's address in a new segment and buffer would allocate two objects per
 * page, so each thread keeps a few reusable <i>windows</i>: direct buffers over 1 GiB-aligned stretches of the
 * address space ({@code 1 GiB + 4 KiB} long, so that a page starting in the stretch always fits), looked up by the
 * stretch's index. A window is only an address and a capacity: it is read only at the bytes of a page whose view is
 * live (inside the caller's mapped-access callback), so a window that outlives its mapping is never dereferenced.
 *
 * <p><b>Thread safety:</b> all methods from any thread; the scratch state is per thread.
 */
public final class Crc
{
    private static final int WINDOW_SHIFT = 30;
    private static final int WINDOW_LENGTH = (1 << WINDOW_SHIFT) + StoreLayout.PAGE_SIZE;
    private static final int SLOTS = 16;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Crc()
    {
    }

    /**
     * {@return the CRC32C of a page in an array, with this thread's reusable checksum}
     *
     * @param page the 4096 bytes.
     */
    public static int of(final byte[] page)
    {
        return of(SCRATCH.get().crc, page);
    }

    /**
     * {@return the CRC32C of the remaining bytes of a buffer, without moving its position, with this thread's
     * reusable checksum}
     *
     * @param page the bytes.
     */
    public static int of(final ByteBuffer page)
    {
        return of(SCRATCH.get().crc, page);
    }

    /**
     * {@return the CRC32C of the first 4096 bytes of a view, with this thread's reusable checksum}
     *
     * @param view a view of at least 4096 bytes, on the heap or in place in the mapping (valid during this call).
     */
    public static int of(final DirectBuffer view)
    {
        return of(SCRATCH.get().crc, view);
    }

    /**
     * {@return the CRC32C of a page in an array}
     *
     * @param crc  a reusable checksum, reset here.
     * @param page the 4096 bytes.
     */
    public static int of(final CRC32C crc, final byte[] page)
    {
        crc.reset();
        crc.update(page, 0, StoreLayout.PAGE_SIZE);
        return (int)crc.getValue();
    }

    /**
     * {@return the CRC32C of the remaining bytes of a buffer, without moving its position}
     *
     * @param crc  a reusable checksum, reset here.
     * @param page the bytes.
     */
    public static int of(final CRC32C crc, final ByteBuffer page)
    {
        crc.reset();
        final int position = page.position();
        crc.update(page);
        page.position(position);
        return (int)crc.getValue();
    }

    /**
     * {@return the CRC32C of the first 4096 bytes of a view}
     *
     * @param crc  a reusable checksum, reset here.
     * @param view a view of at least 4096 bytes, on the heap or in place in the mapping (valid during this call).
     */
    public static int of(final CRC32C crc, final DirectBuffer view)
    {
        crc.reset();
        final byte[] array = view.byteArray();
        if (null != array)
        {
            crc.update(array, (int)(view.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET), StoreLayout.PAGE_SIZE);
        }
        else
        {
            final long address = view.addressOffset();
            final ByteBuffer window = SCRATCH.get().window(address);
            final int at = (int)(address & ((1L << WINDOW_SHIFT) - 1));
            window.clear().position(at).limit(at + StoreLayout.PAGE_SIZE);
            crc.update(window);
        }
        return (int)crc.getValue();
    }

    /**
     * One thread's checksum and windows: a direct-mapped cache of {@link #SLOTS} windows keyed by stretch index.
     */
    private static final class Scratch
    {
        private final CRC32C crc = new CRC32C();
        private final long[] stretches = new long[SLOTS];
        private final ByteBuffer[] windows = new ByteBuffer[SLOTS];

        /**
         * {@return the window over the 1 GiB-aligned stretch holding {@code address}, made on first use}
         *
         * @param address the first byte of a page in the mapping.
         */
        @SuppressWarnings("restricted")
        ByteBuffer window(final long address)
        {
            final long stretch = address >>> WINDOW_SHIFT;
            final int slot = (int)(stretch & (SLOTS - 1));
            ByteBuffer window = windows[slot];
            if (null == window || stretches[slot] != stretch)
            {
                // Restricted (needs --enable-native-access, which the mmap module requires anyway). The window is
                // read only at a page whose view is live, inside the mapping's access gate: see the class comment.
                window = MemorySegment.ofAddress(stretch << WINDOW_SHIFT).reinterpret(WINDOW_LENGTH).asByteBuffer();
                windows[slot] = window;
                stretches[slot] = stretch;
            }
            return window;
        }
    }
}
