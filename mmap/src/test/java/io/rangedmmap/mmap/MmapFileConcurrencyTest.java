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
package io.rangedmmap.mmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MmapFileConcurrencyTest
{
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    /**
     * The word every owner writes at each 8-byte slot of its range: owner in the top byte, file offset below.
     */
    private static long word(final int owner, final long offset)
    {
        return ((long)owner << 56) | offset;
    }

    @Test
    void shouldLeaveEveryByteWrittenByItsRangesOwner() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            for (int round = 0; round < 6; round++)
            {
                writeAndCheckRound(pool, round);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private void writeAndCheckRound(final ExecutorService pool, final int round) throws Exception
    {
        final Path file = dir.resolve("owners-" + round + ".bin");
        final long size = (16L << 20) + 4096L * round;
        final List<List<AllocatedRange>> owned = new ArrayList<>();
        try (Mapping<ConcurrentAllocator> m = MmapFile.create(file, size, AllocatorType.CONCURRENT))
        {
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Future<List<AllocatedRange>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int owner = t + 1;
                final SplittableRandom random = new SplittableRandom(round * 100L + t);
                // Half the threads write through their own share of the file, half through the shared handle.
                final MmapFile handle = 0 == t % 2 ? m.file().share() : m.file();
                futures.add(pool.submit(() ->
                {
                    try
                    {
                        start.await();
                        return writeUntilFull(m.allocator(), handle, owner, random);
                    }
                    finally
                    {
                        if (handle != m.file())
                        {
                            handle.close();
                        }
                    }
                }));
            }
            for (final Future<List<AllocatedRange>> future : futures)
            {
                owned.add(future.get());
            }
            m.file().syncAll();
        }
        // Reopen and check every byte against the owner of its range.
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            long covered = 0;
            final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; t < owned.size(); t++)
            {
                for (final AllocatedRange range : owned.get(t))
                {
                    covered += range.length();
                    checkOwner(raw, range, t + 1, buffer);
                }
            }
            assertEquals(size, covered, "ranges must cover the whole file exactly once");
        }
    }

    private static List<AllocatedRange> writeUntilFull(
        final ConcurrentAllocator allocator, final MmapFile file, final int owner, final SplittableRandom random)
        throws Exception
    {
        final List<AllocatedRange> mine = new ArrayList<>();
        while (true)
        {
            final Optional<AllocatedRange> next = allocator.allocate(1 + random.nextInt(256 * 1024));
            if (next.isEmpty())
            {
                return mine;
            }
            final AllocatedRange range = next.get();
            mine.add(range);
            final int length = (int)range.length();
            final WriteReceipt receipt = switch (random.nextInt(3))
            {
                case 0 ->
                {
                    final ByteBuffer data = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
                    fill(data, owner, range.start());
                    yield file.writeRange(range, data.array());
                }
                case 1 ->
                {
                    final ByteBuffer data = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
                    fill(data, owner, range.start());
                    yield file.writeRange(range, data.flip());
                }
                default -> file.writeRange(range, view ->
                {
                    for (int i = 0; i + 8 <= length; i += 8)
                    {
                        view.putLong(i, word(owner, range.start() + i), ByteOrder.LITTLE_ENDIAN);
                    }
                    for (int i = length & ~7; i < length; i++)
                    {
                        view.putByte(i, (byte)owner);
                    }
                });
            };
            if (0 == random.nextInt(16))
            {
                file.flushRange(receipt);
            }
        }
    }

    private static void fill(final ByteBuffer data, final int owner, final long start)
    {
        final int length = data.capacity();
        for (int i = 0; i + 8 <= length; i += 8)
        {
            data.putLong(i, word(owner, start + i));
        }
        for (int i = length & ~7; i < length; i++)
        {
            data.put(i, (byte)owner);
        }
        data.position(length);
    }

    private static void checkOwner(final RawMmapFile raw, final AllocatedRange range, final int owner,
        final ByteBuffer buffer)
    {
        for (long offset = range.start(); offset < range.end(); offset += buffer.capacity())
        {
            final int chunk = (int)Math.min(buffer.capacity(), range.end() - offset);
            buffer.clear().limit(chunk);
            raw.readAt(offset, buffer);
            for (int i = 0; i + 8 <= chunk; i += 8)
            {
                final long expected = word(owner, offset + i);
                final long actual = buffer.getLong(i);
                if (expected != actual)
                {
                    throw new AssertionError("byte at " + (offset + i) + " of range " + range + " expected owner " +
                        owner + " word " + Long.toHexString(expected) + " but was " + Long.toHexString(actual));
                }
            }
            for (int i = chunk & ~7; i < chunk; i++)
            {
                assertEquals((byte)owner, buffer.get(i), "tail byte at " + (offset + i));
            }
        }
    }

    @Test
    void shouldGiveEachConcurrentWriteOfOneRangeToExactlyOneWriter() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("contended.bin"), 65536))
        {
            final AllocatedRange range = m.allocator().allocate(65536).orElseThrow();
            final AtomicInteger wins = new AtomicInteger();
            final AtomicInteger refusals = new AtomicInteger();
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final byte value = (byte)(t + 1);
                futures.add(pool.submit(() ->
                {
                    start.await();
                    final byte[] data = new byte[65536];
                    java.util.Arrays.fill(data, value);
                    for (int i = 0; i < 2000; i++)
                    {
                        try
                        {
                            m.file().writeRange(range, buffer ->
                            {
                                // Inside the callback this thread owns the range: nobody else may change it.
                                buffer.putBytes(0, data);
                                Thread.onSpinWait();
                                for (int j = 0; j < 65536; j += 4096)
                                {
                                    if (buffer.getByte(j) != value)
                                    {
                                        throw new AssertionError("another writer changed the range mid-write");
                                    }
                                }
                            });
                            wins.incrementAndGet();
                        }
                        catch (final IllegalStateException ex)
                        {
                            assertTrue(ex.getMessage().contains("is being written by another thread"),
                                ex.getMessage());
                            refusals.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> future : futures)
            {
                future.get(60, TimeUnit.SECONDS);
            }
            assertEquals(THREADS * 2000, wins.get() + refusals.get());
            assertTrue(wins.get() > 0);
            final byte[] back = new byte[65536];
            m.file().readRange(range, back);
            for (final byte b : back)
            {
                assertEquals(back[0], b, "the range must hold one writer's bytes");
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /**
     * Races {@code close} against eight writers, round after round, and checks each write's outcome: a
     * {@code writeRange} that returned left its bytes in the file (read back after a reopen), and one that was
     * refused threw the documented {@link IllegalStateException} ("is closed") and nothing else. Over the rounds both
     * outcomes must have happened, or the race was never exercised.
     */
    @Test
    void shouldCompleteOrRefuseEveryWriteWhenCloseRacesWithWrites() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long totalWritten = 0;
        long totalRefused = 0;
        try
        {
            final SplittableRandom random = new SplittableRandom(7);
            for (int round = 0; round < 40; round++)
            {
                final Path path = dir.resolve("race.bin");
                final Mapping<ConcurrentAllocator> m = MmapFile.create(path, 8L << 20,
                    AllocatorType.CONCURRENT, CreateOption.REPLACE_EXISTING);
                final AtomicInteger refused = new AtomicInteger();
                final CyclicBarrier start = new CyclicBarrier(THREADS + 1);
                final List<Future<List<AllocatedRange>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++)
                {
                    futures.add(pool.submit(() ->
                    {
                        final List<AllocatedRange> completed = new ArrayList<>();
                        start.await();
                        while (true)
                        {
                            final Optional<AllocatedRange> range = m.allocator().allocate(4096);
                            if (range.isEmpty())
                            {
                                return completed;
                            }
                            final byte[] data = new byte[4096];
                            java.util.Arrays.fill(data, stamp(range.get()));
                            try
                            {
                                m.file().writeRange(range.get(), data);
                            }
                            catch (final IllegalStateException ex)
                            {
                                assertTrue(ex.getMessage().endsWith("is closed"), ex.getMessage());
                                refused.incrementAndGet();
                                return completed;
                            }
                            completed.add(range.get());
                        }
                    }));
                }
                start.await();
                Thread.sleep(0, random.nextInt(500_000));
                m.close();
                final List<AllocatedRange> completed = new ArrayList<>();
                for (final Future<List<AllocatedRange>> future : futures)
                {
                    completed.addAll(future.get(60, TimeUnit.SECONDS));
                }
                assertTrue(m.file().isClosed());
                try (RawMmapFile raw = RawMmapFile.open(path))
                {
                    final byte[] back = new byte[4096];
                    for (final AllocatedRange range : completed)
                    {
                        raw.readAt(range.start(), back);
                        for (final byte b : back)
                        {
                            assertEquals(stamp(range), b, "a completed write must leave its bytes in " + range);
                        }
                    }
                }
                totalWritten += completed.size();
                totalRefused += refused.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertTrue(totalWritten > 0, "no write completed before close in 40 rounds");
        assertTrue(totalRefused > 0, "no write was refused by close in 40 rounds: the race never happened");
    }

    /**
     * The byte a racing writer fills its range with: never zero, so an unwritten range cannot pass for a written one.
     */
    private static byte stamp(final AllocatedRange range)
    {
        return (byte)(1 + (range.start() / 4096) % 251);
    }
}
