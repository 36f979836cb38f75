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
package io.rangedmmap.examples.downloader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Computes the SHA-256 of a file while it is being downloaded: SHA-256 takes its input in order, so this thread
 * follows the contiguous prefix of the file that has arrived (each chunk's bytes so far, published by the
 * downloading threads with a release store) and hashes it as it grows, reading the page cache through a
 * {@link FileChannel} (the same pages the mapping writes). What is left to hash when the last byte arrives is what
 * was not yet contiguous.
 *
 * <p><b>Thread safety:</b> one hashing thread; {@link #abort()} from any thread.
 */
final class TrailingSha256
{
    private static final int READ = 1 << 20;

    private final Path file;
    private final long chunkSize;
    private final long length;
    private final AtomicLongArray progress;
    private final Thread thread;
    private volatile boolean aborted;
    private volatile String result;
    private volatile Throwable failure;

    private TrailingSha256(final Path file, final long chunkSize, final long length, final AtomicLongArray progress)
    {
        this.file = file;
        this.chunkSize = chunkSize;
        this.length = length;
        this.progress = progress;
        this.thread = Thread.ofPlatform().name("sha256").unstarted(this::run);
    }

    /**
     * Starts hashing {@code file} as its chunks fill up.
     *
     * @param file      the file being written.
     * @param chunkSize bytes per chunk (the last may be shorter).
     * @param length    the file's length.
     * @param progress  bytes written so far into each chunk.
     * @return the running hasher.
     */
    static TrailingSha256 start(final Path file, final long chunkSize, final long length,
        final AtomicLongArray progress)
    {
        final TrailingSha256 hasher = new TrailingSha256(file, chunkSize, length, progress);
        hasher.thread.start();
        return hasher;
    }

    /**
     * Stops the hasher after a failed download.
     */
    void abort()
    {
        aborted = true;
    }

    /**
     * Waits for the digest of the whole file.
     *
     * @return the SHA-256 in hex.
     * @throws IOException          if the file could not be read.
     * @throws InterruptedException if interrupted.
     */
    String await() throws IOException, InterruptedException
    {
        thread.join();
        if (null != failure)
        {
            throw new IOException("hashing " + file + " failed", failure);
        }
        if (null == result)
        {
            throw new IOException("hashing " + file + " was aborted");
        }
        return result;
    }

    private void run()
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final ByteBuffer buffer = ByteBuffer.allocateDirect(READ);
            long hashed = 0;
            while (hashed < length)
            {
                final int chunk = (int)(hashed / chunkSize);
                final long chunkStart = chunk * chunkSize;
                // Acquire: pairs with the downloader's setRelease after its copy into this chunk.
                final long available = chunkStart + progress.getAcquire(chunk);
                if (available <= hashed)
                {
                    if (aborted)
                    {
                        return;
                    }
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                while (hashed < available)
                {
                    buffer.clear().limit((int)Math.min(READ, available - hashed));
                    final int read = channel.read(buffer, hashed);
                    if (read <= 0)
                    {
                        throw new IOException(file + " ended at " + hashed + " of " + length + " bytes");
                    }
                    buffer.flip();
                    digest.update(buffer);
                    hashed += read;
                }
            }
            result = HexFormat.of().formatHex(digest.digest());
        }
        catch (final IOException | NoSuchAlgorithmException | RuntimeException ex)
        {
            failure = ex;
        }
    }
}
