package io.rangedmmap.mmap;

/**
 * Proof that a write of a whole {@link AllocatedRange} completed: the only thing
 * {@link MmapFile#flushRange(WriteReceipt)} accepts.
 *
 * <p>Only {@code MmapFile.writeRange} hands out receipts, and only after the write returned normally; a receipt is
 * bound to the file its range belongs to. Every write of one range hands out the same receipt (it names the range
 * and nothing else), so a write allocates nothing.
 *
 * <p><b>Thread safety:</b> immutable.
 */
public final class WriteReceipt
{
    private final AllocatedRange range;

    WriteReceipt(final AllocatedRange range)
    {
        this.range = range;
    }

    /**
     * {@return the range that was written}
     */
    public AllocatedRange range()
    {
        return range;
    }

    @Override
    public String toString()
    {
        return "WriteReceipt{" + range + "}";
    }
}
