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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The in-memory state and CRC32C of every user page.
 *
 * <p>A page's state word holds its {@link #FREE}, {@link #ALLOCATED}, {@link #WRITTEN}, {@link #LIVE} or
 * {@link #FREEING} state in its low bits and, above them, while allocated the id of the owning writer, and while
 * written, live or freeing the <em>write stamp</em> of the write that gave the page its bytes (the low bits of the
 * checkpoint that could first include it plus the discards made so far, see {@link #stampOf(long)}). A receipt
 * carries the stamp of its write, so a receipt of an earlier write of a page that was freed or discarded and written
 * again is told apart from the page's current write. Compare states with {@link #stateOf(int)}, never the whole
 * word. Transitions: FREE to ALLOCATED (a writer's {@code allocate}); ALLOCATED to WRITTEN (its {@code write}, which
 * sets the CRC first) or back to FREE (its {@code discard} or {@code close}); WRITTEN to FREE (its {@code discard},
 * which the checkpoint coordinator orders against the checkpoints); WRITTEN to LIVE (a checkpoint that includes the
 * page); LIVE to FREEING
 * ({@code free}); FREEING to FREE (the checkpoint that includes the free, once durable). Pages that are WRITTEN,
 * LIVE or FREEING can be read.
 *
 * <p><b>Thread safety:</b> a state is published with a release store after the page's bytes and CRC are in place, and
 * read with an acquire load before them, so a reader that sees WRITTEN or LIVE also sees the data and CRC.
 */
public final class PageTable
{
    /**
     * Free in the last durable checkpoint and held by no writer, or held by a writer but not yet handed out.
     */
    public static final int FREE = 0;

    /**
     * Handed out by a writer's {@code allocate} and not yet written; the owner's id is in the high bits.
     */
    public static final int ALLOCATED = 1;

    /**
     * Written, with a receipt, and in no completed checkpoint yet.
     */
    public static final int WRITTEN = 2;

    /**
     * Live in the last durable checkpoint.
     */
    public static final int LIVE = 3;

    /**
     * Live in the last durable checkpoint, with a free staged for the next one.
     */
    public static final int FREEING = 4;

    /**
     * Bits of the state word that hold the state; the owner id sits above them.
     */
    public static final int STATE_BITS = 3;

    /**
     * The largest writer id, and the mask of a write stamp: what fits above the state bits of an {@code int}.
     */
    public static final int MAX_OWNER = (1 << (Integer.SIZE - STATE_BITS)) - 1;

    private static final int STATE_MASK = (1 << STATE_BITS) - 1;
    private static final VarHandle STATES = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] states;
    private final int[] crcs;

    /**
     * Creates a table of free pages.
     *
     * @param pageCount the number of user pages.
     */
    public PageTable(final int pageCount)
    {
        states = new int[pageCount];
        crcs = new int[pageCount];
    }

    /**
     * {@return the state word of an allocated page: the state and its owner}
     *
     * @param owner the writer's id.
     */
    public static int allocatedBy(final int owner)
    {
        if (owner < 1 || owner > MAX_OWNER)
        {
            throw new IllegalArgumentException("owner=" + owner + " must be in [1, " + MAX_OWNER + "]");
        }
        return (owner << STATE_BITS) | ALLOCATED;
    }

    /**
     * {@return the write stamp of a write made while {@code lastCheckpoint} was the last durable checkpoint}
     *
     * <p>A page is written again only after a checkpoint made it live and a later one freed it, or after its write
     * was discarded; the store passes the sum of its last durable checkpoint and its discards so far, which both
     * only grow, so two writes of one page in one store instance always have different stamps, until the stamp
     * wraps after {@code MAX_OWNER + 1} checkpoints and discards (a receipt is also checked against the page's
     * CRC32C, so a stale receipt that old must also match the bytes of the page's current write to be taken for it).
     *
     * @param lastCheckpoint the sequence of the last durable checkpoint when the page is written, plus the number of
     *                       discarded writes so far.
     */
    public static int stampOf(final long lastCheckpoint)
    {
        return (int)((lastCheckpoint + 1) & MAX_OWNER);
    }

    /**
     * {@return the state word of a page just written with write stamp {@code stamp}}
     *
     * @param stamp the write stamp, from {@link #stampOf(long)}.
     */
    public static int writtenWith(final int stamp)
    {
        return (stamp << STATE_BITS) | WRITTEN;
    }

    /**
     * {@return the bits above the state: the owner of an allocated page, the write stamp of a written, live or
     * freeing one}
     *
     * @param word a state word.
     */
    public static int tagOf(final int word)
    {
        return word >>> STATE_BITS;
    }

    /**
     * {@return a state word with its state replaced and the bits above it (the write stamp) kept}
     *
     * @param word  a state word.
     * @param state the new state.
     */
    public static int withState(final int word, final int state)
    {
        return (word & ~STATE_MASK) | state;
    }

    /**
     * {@return the state in a state word, without its owner}
     *
     * @param word a state word.
     */
    public static int stateOf(final int word)
    {
        return word & STATE_MASK;
    }

    /**
     * {@return the name of a state word, for messages}
     *
     * @param word a state word.
     */
    public static String nameOf(final int word)
    {
        return switch (stateOf(word))
        {
            case FREE -> "FREE";
            case ALLOCATED -> "ALLOCATED(writer=" + (word >>> STATE_BITS) + ")";
            case WRITTEN -> "WRITTEN";
            case LIVE -> "LIVE";
            case FREEING -> "FREEING";
            default -> "UNKNOWN(" + word + ")";
        };
    }

    /**
     * {@return the number of pages}
     */
    public int size()
    {
        return states.length;
    }

    /**
     * {@return a page's state word, with acquire ordering: the page's bytes and CRC are visible if it is written}
     *
     * @param page the page.
     */
    public int stateAcquire(final int page)
    {
        // Acquire: partner of the release in setStateRelease, so data and CRC written before it are visible.
        return (int)STATES.getAcquire(states, page);
    }

    /**
     * {@return a page's state word, plain: for the thread that last set it}
     *
     * @param page the page.
     */
    public int statePlain(final int page)
    {
        return states[page];
    }

    /**
     * Sets a page's state word with release ordering: everything written before, data and CRC included, is visible
     * to a thread that reads the new state with {@link #stateAcquire(int)}.
     *
     * @param page the page.
     * @param word the new state word.
     */
    public void setStateRelease(final int page, final int word)
    {
        // Release: partner of stateAcquire; publishes the page's bytes and CRC written before it.
        STATES.setRelease(states, page, word);
    }

    /**
     * Changes a page's state word atomically.
     *
     * @param page     the page.
     * @param expected the word it must have.
     * @param word     the new word.
     * @return whether the page had {@code expected} and now has {@code word}.
     */
    public boolean compareAndSetState(final int page, final int expected, final int word)
    {
        return STATES.compareAndSet(states, page, expected, word);
    }

    /**
     * {@return the CRC32C recorded for a page; read it after an acquire load of the page's state}
     *
     * @param page the page.
     */
    public int crc(final int page)
    {
        return crcs[page];
    }

    /**
     * Records a page's CRC32C; publish it with {@link #setStateRelease(int, int)}.
     *
     * @param page the page.
     * @param crc  its CRC32C.
     */
    public void setCrc(final int page, final int crc)
    {
        crcs[page] = crc;
    }

    /**
     * Counts the pages by state, each read with acquire ordering; exact only while nothing changes.
     *
     * @return {@code {live, inFlight, written}}: LIVE or FREEING pages, ALLOCATED or WRITTEN pages, and of these
     *         the WRITTEN ones.
     */
    public long[] countLiveAndInFlight()
    {
        long live = 0;
        long inFlight = 0;
        long written = 0;
        for (int page = 0; page < states.length; page++)
        {
            final int state = stateOf(stateAcquire(page));
            if (LIVE == state || FREEING == state)
            {
                live++;
            }
            else if (ALLOCATED == state || WRITTEN == state)
            {
                inFlight++;
                written += WRITTEN == state ? 1 : 0;
            }
        }
        return new long[]{live, inFlight, written};
    }
}
