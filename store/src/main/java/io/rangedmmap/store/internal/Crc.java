package io.rangedmmap.store.internal;

import io.rangedmmap.store.internal.format.StoreLayout;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C of whole pages, from arrays, buffers and in-place views.
 */
public final class Crc
{
    private Crc()
    {
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
    @SuppressWarnings("restricted")
    public static int of(final CRC32C crc, final DirectBuffer view)
    {
        crc.reset();
        final byte[] array = view.byteArray();
        if (null != array)
        {
            crc.update(array, (int)(view.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET),
                StoreLayout.PAGE_SIZE);
        }
        else
        {
            // Restricted (needs --enable-native-access, which the mmap module requires anyway). The view is live only
            // during the caller's callback, inside the mapping's access gate, so this buffer cannot outlive it.
            crc.update(MemorySegment.ofAddress(view.addressOffset()).reinterpret(StoreLayout.PAGE_SIZE)
                .asByteBuffer());
        }
        return (int)crc.getValue();
    }
}
