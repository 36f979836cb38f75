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
package io.rangedmmap.cli;

import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command-line tool against damaged, held, read-only and oversized stores (issue 9, items 3, 8 and 9).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CliHardeningTest
{
    private static final FileTime OLD = FileTime.from(1_000_000, TimeUnit.SECONDS);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return RangedMmapCli.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    private Path storeWithCheckpoints(final int checkpoints) throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        final byte[] killed;
        try (PageStore store = PageStore.create(file, 64); PageWriter writer = store.newWriter())
        {
            for (int i = 0; i < checkpoints; i++)
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                receipts.add(writer.write(writer.allocate(), new byte[PageStore.PAGE_SIZE]));
                store.checkpoint(receipts);
            }
            killed = Files.readAllBytes(file);
        }
        // As a kill -9 leaves it: a clean close would have written the last checkpoint over the previous one's
        // superblock, and these tests damage one to see the store fall back to the other.
        Files.write(file, killed);
        return file;
    }

    private static void flipByte(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            channel.write(one.put(0, (byte)(one.get(0) ^ 1)).clear(), offset);
        }
    }

    @Test
    void shouldShowAndReportASuperblockFallback() throws Exception
    {
        final Path file = storeWithCheckpoints(3);
        assertEquals(0, run("info", file.toString()), err.toString());
        assertTrue(out.toString().contains("superblock:      slot 1, checkpoint 3 (both superblocks valid)"),
            out.toString());
        // Checkpoint 3 is in slot 1: one flipped bit rolls it back to checkpoint 2.
        flipByte(file, PageStore.PAGE_SIZE + 40 + 8);
        assertEquals(0, run("info", file.toString()), err.toString());
        assertTrue(out.toString().contains("last checkpoint: 2"), out.toString());
        assertTrue(out.toString().contains("superblock:      slot 0, checkpoint 2; slot 1 REJECTED (claims " +
            "checkpoint 3): it fails its CRC32C check"), out.toString());
        assertTrue(out.toString().contains("WARNING:         the store fell back to one superblock; if checkpoint 3 " +
            "was acknowledged it is lost"), out.toString());
        assertEquals(RangedMmapCli.CORRUPT, run("verify", file.toString()), out.toString());
        assertTrue(out.toString().contains("DAMAGED spare metadata (the store cannot fall back to its previous " +
            "checkpoint until the next checkpoint rewrites it): superblock slot 1 (claiming sequence=3) fails its " +
            "CRC32C check"), out.toString());
        assertTrue(out.toString().contains("FAILED: corruption found"), out.toString());
    }

    @Test
    void shouldReportADamagedSpareMetadataCopy() throws Exception
    {
        final Path file = storeWithCheckpoints(3);
        final StoreLayout layout = new StoreLayout(64);
        // Checkpoint 3 runs on metadata copy 1; copy 0 is the spare.
        flipByte(file, layout.metadataOffset(0, 0) + 100);
        assertEquals(RangedMmapCli.CORRUPT, run("verify", file.toString()), out.toString());
        assertTrue(out.toString().contains("DAMAGED spare metadata (the store cannot fall back to its previous " +
            "checkpoint until the next checkpoint rewrites it): spare metadata copy 0: metadata page 0 has crc32c="),
            out.toString());
    }

    @Test
    void shouldExitWith1NotWith3WhenTheCurrentMetadataIsCorrupt() throws Exception
    {
        final Path file = storeWithCheckpoints(3);
        // Both copies: with the current one alone damaged, open falls back to the previous checkpoint (the newest,
        // made durable by one flush, may not all have reached the disk); with both, the store cannot be opened.
        flipByte(file, new StoreLayout(64).metadataOffset(1, 0) + 100);
        flipByte(file, new StoreLayout(64).metadataOffset(0, 0) + 100);
        final byte[] before = Files.readAllBytes(file);
        // The open reads only what the newest checkpoint wrote (it falls back from it, and opens at checkpoint 2
        // without reading group 0); verify loads group 0, whose damage fails the store: corruption, exit 1.
        assertEquals(RangedMmapCli.CORRUPT, run("verify", file.toString()), err.toString());
        assertTrue(out.toString().contains("CORRUPT metadata: metadata group=0 ") &&
            out.toString().contains(file + ": metadata page 0 has crc32c="), out.toString());
        assertTrue(out.toString().contains("FAILED: corruption found (the store failed on it)"), out.toString());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void shouldSayWhenAWriterHoldsTheStore() throws Exception
    {
        final Path file = storeWithCheckpoints(1);
        try (PageStore writer = PageStore.open(file))
        {
            for (final String command : new String[]{"info", "verify"})
            {
                assertEquals(RangedMmapCli.CANNOT_OPEN, run(command, file.toString()), command);
                assertEquals("ranged-mmap: " + file + " is in use by another process; stop it, or back it up from " +
                    "inside that process", err.toString().strip());
            }
            assertEquals(RangedMmapCli.CANNOT_OPEN, run("dump", file.toString(), "0"));
            assertTrue(err.toString().contains("in use by another process"), err.toString());
            assertEquals(1, writer.lastCheckpoint());
        }
    }

    @Test
    void shouldInspectAChmod444StoreAndWriteNothing() throws Exception
    {
        final Path file = storeWithCheckpoints(2);
        Files.setLastModifiedTime(file, OLD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        final byte[] before = Files.readAllBytes(file);
        assertEquals(0, run("info", file.toString()), err.toString());
        assertTrue(out.toString().contains("last checkpoint: 2"), out.toString());
        assertEquals(0, run("verify", file.toString()), err.toString());
        assertEquals(0, run("dump", file.toString(), "0"), err.toString());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(OLD, Files.getLastModifiedTime(file));
    }

    /**
     * A healthy store of 8,388,608 pages (32 GiB, sparse: only its superblocks and metadata are written) opens and
     * verifies under {@code -Xmx48m}: its page table lives off the Java heap (issue 10), where it once needed 64 MiB of
     * heap and made the tool exit 3.
     */
    @Test
    void shouldOpenALargeStoreInASmallHeap() throws Exception
    {
        final long pageCount = 8L << 20;
        final Path file = dir.resolve("large.store");
        writeEmptyStore(file, pageCount, true);
        for (final String command : new String[]{"info", "verify"})
        {
            final Child child = Child.run("-Xmx48m", command, file.toString());
            assertEquals(0, child.code(), command + ": " + child.output());
        }
        final Child info = Child.run("-Xmx48m", "info", file.toString());
        assertTrue(info.output().contains("user pages:      8,388,608"), info.output());
    }

    /**
     * A superblock with a valid CRC32C and pageCount 2^31 - 1025 (8 TiB of pages: the largest store whose file ext4,
     * with its 16 TiB limit, can hold sparse here twice over): refused as corruption, without sizing anything from
     * it, whether the file's size disagrees or the file was extended (sparse) to the size it implies; in the second
     * case by verify, which loads the metadata the open after a crash leaves to the first touch, while info shows what
     * the superblock claims.
     */
    @Test
    void shouldRefuseACraftedPageCountWithoutAllocatingFromIt() throws Exception
    {
        final Path file = storeWithCheckpoints(1);
        final long crafted = (1L << 31) - 1025;
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        // Its high-water mark claims every group may hold live pages, so open must read metadata page 0 (which is
        // not there) instead of taking the groups for free.
        final long groups = MetadataPageDescriptor.metadataPagesFor(crafted);
        SuperblockDescriptor.encode(new UnsafeBuffer(page), new Superblock(StoreLayout.PAGE_SIZE, crafted, groups, 5,
            1, 0, new long[SuperblockDescriptor.ROOT_SLOTS], 0, 0, 0, 0, crafted, groups, groups, 0));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(page), StoreLayout.superblockOffset(1));
        }
        Child child = Child.run("-Xmx48m", "verify", file.toString());
        assertEquals(RangedMmapCli.CORRUPT, child.code(), child.output());
        assertTrue(child.output().contains("has size=" + Files.size(file) + " but its superblock (pageCount=" +
            crafted + ") requires size="), child.output());

        final long implied = new StoreLayout(crafted).fileSize();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(1), implied - 1);
        }
        catch (final IOException ex)
        {
            Assumptions.abort("cannot make a sparse file of " + implied + " bytes here: " + ex);
        }
        // Verify loads metadata page 1 and finds it was never written: corruption, exit 1. Info reads the superblocks
        // only (the open after a crash reads no group the newest checkpoint did not list, and this one lists none):
        // it shows what the superblock claims. Neither sizes anything on the heap from the crafted count.
        final Child verify = Child.run("-Xmx48m", "verify", file.toString());
        assertEquals(RangedMmapCli.CORRUPT, verify.code(), verify.output());
        // Page 0 is the real 64-page store's own; page 1 was never written.
        assertTrue(verify.output().contains(": metadata page 1 has crc32c=0x0 but its bytes give"), verify.output());
        final Child info = Child.run("-Xmx48m", "info", file.toString());
        assertEquals(0, info.code(), info.output());
        assertTrue(info.output().contains("user pages:      " + String.format("%,d", crafted)), info.output());
        for (final Child each : new Child[]{verify, info})
        {
            assertTrue(!each.output().contains("OutOfMemoryError") && !each.output().contains("out of memory"),
                each.output());
        }
    }

    /**
     * Writes an empty store as {@code PageStore.create} would, with its user pages left sparse.
     */
    private static void writeEmptyStore(final Path file, final long pageCount, final boolean sparse)
        throws IOException
    {
        final StoreLayout layout = new StoreLayout(pageCount);
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            SuperblockDescriptor.encode(buffer, new Superblock(StoreLayout.PAGE_SIZE, pageCount,
                layout.metadataPages(), 0, 0, 0, new long[SuperblockDescriptor.ROOT_SLOTS]));
            for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
            {
                channel.write(ByteBuffer.wrap(page), StoreLayout.superblockOffset(slot));
            }
            // Format 3 interleaves the metadata with the user pages: one page per group and copy, each in place.
            for (long tablePage = 0; tablePage < layout.metadataPages(); tablePage++)
            {
                java.util.Arrays.fill(page, (byte)0);
                MetadataPageDescriptor.seal(buffer, tablePage, 0);
                for (int copy = 0; copy < 2; copy++)
                {
                    channel.write(ByteBuffer.wrap(page), layout.metadataOffset(copy, tablePage));
                }
            }
            if (sparse)
            {
                channel.write(ByteBuffer.allocate(1), layout.fileSize() - 1);
            }
        }
    }

    /**
     * The tool in a child JVM, as {@code java -jar ranged-mmap.jar} runs it, with the flags the build sets.
     */
    private record Child(int code, String output)
    {
        static Child run(final String heap, final String... args) throws Exception
        {
            final List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), heap, "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RangedMmapCli.class.getName()));
            command.addAll(List.of(args));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("the tool did not exit within 120 s: " + output);
            }
            return new Child(process.exitValue(), output);
        }
    }
}
