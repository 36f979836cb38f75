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

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MmapFileTest
{
    @TempDir
    Path dir;

    private static void await(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("timed out");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static long blocks(final Path file) throws IOException
    {
        final Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        return Long.parseLong(new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .trim());
    }

    private static byte[] filled(final int length, final int value)
    {
        final byte[] data = new byte[length];
        Arrays.fill(data, (byte)value);
        return data;
    }

    @Test
    void shouldWriteFlushReopenAndReadBack() throws IOException
    {
        final Path file = dir.resolve("a.bin");
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(file, 3 * 4096))
        {
            final AllocatedRange r1 = m.allocator().allocate(4096).orElseThrow();
            final AllocatedRange r2 = m.allocator().allocate(8192).orElseThrow();
            m.file().flushRange(m.file().writeRange(r1, filled(4096, 1)));
            final WriteReceipt receipt = m.file().writeRange(r2, ByteBuffer.wrap(filled(8192, 2)));
            assertSame(r2, receipt.range());
            m.file().flushRange(receipt);
            m.file().syncAll();
        }
        assertEquals(3 * 4096, Files.size(file));
        try (Mapping<SequentialAllocator> m = MmapFile.openDefault(file))
        {
            final AllocatedRange r1 = m.allocator().allocate(4096).orElseThrow();
            final AllocatedRange r2 = m.allocator().allocate(8192).orElseThrow();
            final byte[] back = new byte[4096];
            m.file().readRange(r1, back);
            assertArrayEquals(filled(4096, 1), back);
            final ByteBuffer direct = ByteBuffer.allocateDirect(8192);
            m.file().readRange(r2, direct);
            assertEquals(8192, direct.position());
            direct.flip();
            final byte[] back2 = new byte[8192];
            direct.get(back2);
            assertArrayEquals(filled(8192, 2), back2);
        }
    }

    @Test
    void shouldRefuseAnExistingFileUnlessReplaceIsAsked() throws IOException
    {
        final Path file = dir.resolve("exists.bin");
        Files.write(file, filled(100, 7));
        final FileAlreadyExistsException ex = assertThrowsExactly(FileAlreadyExistsException.class,
            () -> MmapFile.createDefault(file, 4096));
        assertTrue(ex.getMessage().contains("REPLACE_EXISTING"), ex.getMessage());
        assertArrayEquals(filled(100, 7), Files.readAllBytes(file));
        try (Mapping<SequentialAllocator> m = MmapFile.create(file, 8192, AllocatorType.SEQUENTIAL,
            CreateOption.REPLACE_EXISTING))
        {
            final byte[] back = new byte[4096];
            m.file().readRange(m.allocator().allocate(4096).orElseThrow(), back);
            assertArrayEquals(new byte[4096], back);
        }
        assertEquals(8192, Files.size(file));
    }

    @Test
    void shouldRejectBadSizes() throws IOException
    {
        for (final long bad : new long[]{0, -1, Long.MIN_VALUE, (1L << 44) + 1, Long.MAX_VALUE})
        {
            assertEquals("size=" + bad + " must be in [1, 17592186044416]",
                assertThrowsExactly(IllegalArgumentException.class,
                    () -> MmapFile.createDefault(dir.resolve("bad.bin"), bad)).getMessage());
            assertFalse(Files.exists(dir.resolve("bad.bin")));
        }
    }

    @Test
    void shouldReserveBlocksUnlessSparseIsAsked() throws IOException
    {
        final long size = 8L << 20;
        final Path reserved = dir.resolve("reserved.bin");
        final Path sparse = dir.resolve("sparse.bin");
        MmapFile.createDefault(reserved, size).close();
        MmapFile.create(sparse, size, AllocatorType.SEQUENTIAL, CreateOption.SPARSE).close();
        assertEquals(size, Files.size(reserved));
        assertEquals(size, Files.size(sparse));
        final long reservedBlocks = blocks(reserved);
        final long sparseBlocks = blocks(sparse);
        assertTrue(reservedBlocks * 512 >= size, "reserved blocks=" + reservedBlocks);
        assertTrue(sparseBlocks * 512 < size, "sparse blocks=" + sparseBlocks);
    }

    @Test
    void shouldRefuseToOpenMissingOrEmptyFiles() throws IOException
    {
        assertThrowsExactly(NoSuchFileException.class, () -> MmapFile.openDefault(dir.resolve("missing.bin")));
        final Path empty = Files.createFile(dir.resolve("empty.bin"));
        final IOException ex = assertThrowsExactly(IOException.class, () -> MmapFile.openDefault(empty));
        assertEquals("cannot map " + empty.toAbsolutePath() + ": the file is empty (size=0)", ex.getMessage());
    }

    @Test
    void shouldRefuseASecondOpenInTheSameJvmAndKeepTheFirstLock() throws Exception
    {
        final Path file = dir.resolve("locked.bin");
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(file, 4096))
        {
            final FileLockedException ex = assertThrowsExactly(FileLockedException.class,
                () -> MmapFile.openDefault(file));
            assertTrue(ex.getMessage().contains("already open in this JVM"), ex.getMessage());
            assertThrowsExactly(FileLockedException.class, () -> RawMmapFile.open(file));
            assertThrowsExactly(FileLockedException.class, () -> MmapFile.create(file, 4096,
                AllocatorType.SEQUENTIAL, CreateOption.REPLACE_EXISTING));
            // The refused opens must not have dropped the process's lock: another process is still refused.
            final ChildJvm.Result child = ChildJvm.run(
                java.util.List.of(ChildJvm.ADD_OPENS, ChildJvm.NATIVE_ACCESS), OpenFileMain.class, file.toString());
            assertTrue(child.output().contains("FileLockedException"), child.output());
            assertTrue(child.output().contains("locked by another process"), child.output());
            m.file().writeRange(m.allocator().allocate(4096).orElseThrow(), filled(4096, 3));
        }
        final ChildJvm.Result after = ChildJvm.run(
            java.util.List.of(ChildJvm.ADD_OPENS, ChildJvm.NATIVE_ACCESS), OpenFileMain.class, file.toString());
        assertTrue(after.output().contains("opened size=4096"), after.output());
    }

    @Test
    void shouldRejectDataOfTheWrongLengthAndWriteNothing() throws IOException
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("len.bin"), 2 * 4096))
        {
            final AllocatedRange r1 = m.allocator().allocate(4096).orElseThrow();
            final AllocatedRange r2 = m.allocator().allocate(4096).orElseThrow();
            final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> m.file().writeRange(r1, filled(6000, 9)));
            assertEquals("length=6000 must equal range length=4096 for range " + r1, ex.getMessage());
            assertTrue(ex.getMessage().contains("[0, 4096) of " + m.file().path()), ex.getMessage());
            assertThrowsExactly(IllegalArgumentException.class, () -> m.file().writeRange(r1, filled(4095, 9)));
            assertThrowsExactly(IllegalArgumentException.class,
                () -> m.file().writeRange(r1, ByteBuffer.allocate(4097)));
            final byte[] back = new byte[4096];
            m.file().readRange(r1, back);
            assertArrayEquals(new byte[4096], back);
            m.file().readRange(r2, back);
            assertArrayEquals(new byte[4096], back);
            assertThrowsExactly(IllegalArgumentException.class, () -> m.file().readRange(r1, new byte[10]));
        }
    }

    @Test
    void shouldRefuseRangesAndReceiptsOfAnotherFile() throws IOException
    {
        try (Mapping<SequentialAllocator> a = MmapFile.createDefault(dir.resolve("a.bin"), 4096);
            Mapping<SequentialAllocator> b = MmapFile.createDefault(dir.resolve("b.bin"), 4096))
        {
            final AllocatedRange ra = a.allocator().allocate(4096).orElseThrow();
            final AllocatedRange rb = b.allocator().allocate(4096).orElseThrow();
            final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> b.file().writeRange(ra, filled(4096, 1)));
            assertTrue(ex.getMessage().contains("was not issued by this file's allocator"), ex.getMessage());
            final WriteReceipt receiptA = a.file().writeRange(ra, filled(4096, 1));
            assertThrowsExactly(IllegalArgumentException.class, () -> b.file().flushRange(receiptA));
            assertThrowsExactly(IllegalArgumentException.class, () -> b.file().readRange(ra, new byte[4096]));
            assertThrowsExactly(IllegalArgumentException.class, () -> a.file().advise(rb, Advice.RANDOM));
        }
    }

    @Test
    void shouldRefuseRangesOfAnEarlierMappingOfTheSameFile() throws IOException
    {
        final Path file = dir.resolve("stale.bin");
        final AllocatedRange stale;
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(file, 4096))
        {
            stale = m.allocator().allocate(4096).orElseThrow();
        }
        try (Mapping<SequentialAllocator> m = MmapFile.openDefault(file))
        {
            final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> m.file().writeRange(stale, filled(4096, 1)));
            assertTrue(ex.getMessage().contains("an earlier mapping of it"), ex.getMessage());
        }
    }

    @Test
    void shouldRefuseASecondConcurrentWriterOfTheSameRangeAndAllowRewritingLater() throws Exception
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("same.bin"), 4096))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            final CountDownLatch inside = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final ExecutorService pool = Executors.newSingleThreadExecutor();
            try
            {
                final Future<WriteReceipt> first = pool.submit(() -> m.file().writeRange(range, buffer ->
                {
                    buffer.setMemory(0, 4096, (byte)5);
                    inside.countDown();
                    await(release);
                }));
                assertTrue(inside.await(10, TimeUnit.SECONDS));
                final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class,
                    () -> m.file().writeRange(range, filled(4096, 6)));
                assertEquals("cannot write range " + range + ": it is being written by another thread",
                    ex.getMessage());
                final IllegalStateException read = assertThrowsExactly(IllegalStateException.class,
                    () -> m.file().readRange(range, new byte[4096]));
                assertEquals("cannot read range " + range + ": it is being written by another thread",
                    read.getMessage());
                release.countDown();
                assertSame(range, first.get(10, TimeUnit.SECONDS).range());
            }
            finally
            {
                pool.shutdownNow();
            }
            final byte[] back = new byte[4096];
            m.file().readRange(range, back);
            assertArrayEquals(filled(4096, 5), back);
            m.file().writeRange(range, filled(4096, 6));
            m.file().readRange(range, back);
            assertArrayEquals(filled(4096, 6), back);
        }
    }

    @Test
    void shouldRefuseWritingARangeWhileItIsRead() throws Exception
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("rw.bin"), 4096))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            m.file().readRange(range, buffer ->
            {
                final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class,
                    () -> m.file().writeRange(range, filled(4096, 1)));
                assertEquals("cannot write range " + range + ": it is being read by 1 reader(s)", ex.getMessage());
                // A second reader is fine.
                m.file().readRange(range, new byte[4096]);
            });
            m.file().writeRange(range, filled(4096, 1));
        }
    }

    @Test
    void shouldInvalidateZeroCopyViewsWhenTheCallbackReturns() throws IOException
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("view.bin"), 10_000))
        {
            final AllocatedRange first = m.allocator().allocate(8192).orElseThrow();
            final AllocatedRange last = m.allocator().allocate(8192).orElseThrow();
            final AtomicReference<MutableDirectBuffer> leaked = new AtomicReference<>();
            final WriteReceipt receipt = m.file().writeRange(last, buffer ->
            {
                assertEquals(1808, buffer.capacity());
                buffer.putLong(0, 0x1122334455667788L);
                // The view ends at the range: one byte past it is refused, not written into the next range.
                assertThrowsExactly(IndexOutOfBoundsException.class, () -> buffer.putByte(1808, (byte)1));
                leaked.set(buffer);
            });
            assertSame(last, receipt.range());
            assertEquals(0, leaked.get().capacity());
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> leaked.get().putByte(0, (byte)1));
            m.file().readRange(last, buffer -> assertEquals(0x1122334455667788L, buffer.getLong(0)));
            m.file().flushRange(receipt);
            final byte[] firstBytes = new byte[8192];
            m.file().readRange(first, firstBytes);
            assertArrayEquals(new byte[8192], firstBytes);
        }
    }

    @Test
    void shouldNotReturnAReceiptWhenTheWriterThrows() throws IOException
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("throw.bin"), 4096))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            assertThrowsExactly(ArithmeticException.class, () -> m.file().writeRange(range, buffer ->
            {
                throw new ArithmeticException("boom");
            }));
            // The range is free for the next writer.
            m.file().writeRange(range, filled(4096, 1));
        }
    }

    @Test
    void shouldSplitIntoTwoNonEmptyHalvesAndRetireTheParent() throws IOException
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("split.bin"), 4 * 4096))
        {
            final AllocatedRange range = m.allocator().allocate(4 * 4096).orElseThrow();
            for (final long bad : new long[]{0, 4 * 4096, 5 * 4096, 100, -4096})
            {
                final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                    () -> range.splitAt(bad));
                assertTrue(ex.getMessage().startsWith("offset=" + bad + " must be a multiple of 4096 in (0, 16384)"),
                    ex.getMessage());
            }
            assertThrowsExactly(IllegalArgumentException.class, () -> range.splitAtAlignDown(100));
            assertThrowsExactly(IllegalArgumentException.class, () -> range.splitAtAlignUp(4 * 4096 - 1));
            final AllocatedRange.Split split = range.splitAtAlignUp(100);
            assertTrue(range.isRetired());
            assertEquals(0, split.low().start());
            assertEquals(4096, split.low().end());
            assertEquals(4096, split.high().start());
            assertEquals(4 * 4096, split.high().end());
            final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class,
                () -> m.file().writeRange(range, filled(4 * 4096, 1)));
            assertTrue(ex.getMessage().endsWith("it was split; use its halves"), ex.getMessage());
            assertThrowsExactly(IllegalStateException.class, () -> range.splitAt(4096));
            final AllocatedRange.Split again = split.high().splitAtAlignDown(8191);
            assertEquals(8192, again.low().end());
            m.file().writeRange(split.low(), filled(4096, 1));
            m.file().writeRange(again.low(), filled(4096, 2));
            m.file().writeRange(again.high(), filled(8192, 3));
        }
    }

    @Test
    void shouldThrowOnAClosedHandleAndUnmapOnlyWithTheLastShare() throws IOException
    {
        final Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("share.bin"), 2 * 4096);
        final MmapFile shared = m.file().share();
        assertNotSame(shared, m.file());
        final AllocatedRange r1 = m.allocator().allocate(4096).orElseThrow();
        final AllocatedRange r2 = m.allocator().allocate(4096).orElseThrow();
        final WriteReceipt receipt = m.file().writeRange(r1, filled(4096, 1));
        m.close();
        assertTrue(m.file().isClosed());
        final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class,
            () -> m.file().writeRange(r2, filled(4096, 2)));
        assertEquals("handle on " + m.file().path() + " is closed", ex.getMessage());
        assertThrowsExactly(IllegalStateException.class, () -> m.file().readRange(r1, new byte[4096]));
        assertThrowsExactly(IllegalStateException.class, () -> m.file().flushRange(receipt));
        assertThrowsExactly(IllegalStateException.class, () -> m.file().syncAll());
        assertThrowsExactly(IllegalStateException.class, () -> m.file().share());
        m.close();
        // The other handle still works: the mapping lives until the last handle closes.
        shared.flushRange(receipt);
        shared.writeRange(r2, filled(4096, 2));
        final byte[] back = new byte[4096];
        shared.readRange(r1, back);
        assertArrayEquals(filled(4096, 1), back);
        assertThrowsExactly(FileLockedException.class, () -> MmapFile.openDefault(shared.path()));
        shared.close();
        assertThrowsExactly(IllegalStateException.class, () -> shared.readRange(r1, back));
        MmapFile.openDefault(shared.path()).close();
    }

    @Test
    void shouldAcceptEveryAdvice() throws IOException
    {
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(dir.resolve("advice.bin"), 1 << 20))
        {
            final AllocatedRange range = m.allocator().allocate(65536).orElseThrow();
            for (final Advice advice : Advice.values())
            {
                if (Advice.POPULATE_WRITE != advice)
                {
                    m.file().advise(advice);
                    m.file().advise(range, advice);
                }
            }
            try
            {
                m.file().advise(range, Advice.POPULATE_WRITE);
            }
            catch (final NativeCallException ex)
            {
                // Kernels before 5.14 do not know MADV_POPULATE_WRITE; the errno says so.
                assertEquals(22, ex.errno());
            }
            m.file().writeRange(range, filled(65536, 4));
            m.file().advise(range, Advice.DONT_NEED);
            final byte[] back = new byte[65536];
            m.file().readRange(range, back);
            assertArrayEquals(filled(65536, 4), back);
        }
    }
}
