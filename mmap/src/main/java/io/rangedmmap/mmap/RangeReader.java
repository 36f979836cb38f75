package io.rangedmmap.mmap;

import org.agrona.DirectBuffer;

/**
 * Reads a range in place, through a view of exactly that range of the mapping.
 */
@FunctionalInterface
public interface RangeReader
{
    /**
     * Reads the range. The view covers exactly the range (index 0 is the range's first byte, capacity its length)
     * and is valid only until this method returns: afterwards it has capacity 0.
     *
     * @param buffer the view.
     */
    void read(DirectBuffer buffer);
}
