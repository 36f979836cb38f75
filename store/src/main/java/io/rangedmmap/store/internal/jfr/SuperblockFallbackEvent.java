package io.rangedmmap.store.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * An open that used the older superblock because the other one could not be read (a checkpoint cut short while its
 * superblock was written, or damage).
 */
@Name("io.rangedmmap.store.SuperblockFallback")
@Label("Page Store Superblock Fallback")
@Category({"ranged-mmap", "Page Store"})
@Description("An open fell back to the older superblock because the other one is invalid")
@StackTrace(false)
public final class SuperblockFallbackEvent extends Event
{
    private SuperblockFallbackEvent()
    {
    }

    @Label("Store")
    @Description("The store file")
    String store;

    @Label("Rejected Slot")
    @Description("The superblock slot that could not be used")
    int rejectedSlot;

    @Label("Reason")
    @Description("Why that slot was rejected")
    String reason;

    @Label("Sequence Used")
    @Description("The checkpoint sequence of the superblock the store opened at")
    long sequence;

    /**
     * Emits the event if a recording enables it.
     *
     * @param store        the store file.
     * @param rejectedSlot the slot not used.
     * @param reason       why.
     * @param sequence     the checkpoint the store opened at.
     */
    public static void emit(final String store, final int rejectedSlot, final String reason, final long sequence)
    {
        final SuperblockFallbackEvent event = new SuperblockFallbackEvent();
        if (event.shouldCommit())
        {
            event.store = store;
            event.rejectedSlot = rejectedSlot;
            event.reason = reason;
            event.sequence = sequence;
            event.commit();
        }
    }
}
