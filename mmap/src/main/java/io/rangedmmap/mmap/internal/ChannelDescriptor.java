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
package io.rangedmmap.mmap.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds the descriptor number of an open {@link FileChannel}, so that the native calls on a file ({@code pwrite},
 * {@code posix_fallocate}, a native {@code mmap}) use the descriptor the channel already holds instead of opening a
 * second one.
 *
 * <p><b>Why one descriptor.</b> Closing <em>any</em> descriptor of a file drops every POSIX lock the process holds on
 * it, and each extra descriptor is one more way to close one too early. A file this library opens therefore has
 * exactly one descriptor in the process, its channel's, when this finds it.
 *
 * <p><b>How.</b> {@code FileChannel} does not expose its descriptor. The channel's position is its descriptor's file
 * offset ({@code lseek}), so this moves the position to a random probe value, lists {@code /proc/self/fd} and takes
 * the one descriptor whose offset is that value, then puts the position back. Positional I/O, the only kind this
 * library does on the channel, ignores the position. When no single descriptor matches (no {@code /proc}, or a
 * coincidence), it reports {@link #NOT_FOUND} and the caller opens its own descriptor, as before.
 *
 * <p><b>Thread safety:</b> callers serialise calls per channel (the channel's owner does, under its own lock).
 */
final class ChannelDescriptor
{
    /**
     * Returned when the descriptor could not be told apart.
     */
    static final int NOT_FOUND = -1;

    private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");

    /**
     * Probes lie in [1 TiB, 2 TiB): below the largest offset of every Linux file system in use (ext4's is 16 TiB with
     * 4 KiB blocks), and far from any offset a descriptor of this process is likely to have.
     */
    private static final long PROBE_BASE = 1L << 40;

    private ChannelDescriptor()
    {
    }

    /**
     * {@return the descriptor of {@code channel}, or {@link #NOT_FOUND}}
     *
     * @param channel an open channel of a regular file.
     */
    static int find(final FileChannel channel)
    {
        if (!Files.isDirectory(OWN_DESCRIPTORS))
        {
            return NOT_FOUND;
        }
        try
        {
            final long saved = channel.position();
            final long probe = PROBE_BASE + ThreadLocalRandom.current().nextLong(PROBE_BASE);
            channel.position(probe);
            try
            {
                return matching(probe);
            }
            finally
            {
                channel.position(saved);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return NOT_FOUND;
        }
    }

    private static int matching(final long probe) throws IOException
    {
        int found = NOT_FOUND;
        int matches = 0;
        try (DirectoryStream<Path> links = Files.newDirectoryStream(OWN_DESCRIPTORS))
        {
            for (final Path link : links)
            {
                final int fd;
                try
                {
                    fd = Integer.parseInt(link.getFileName().toString());
                }
                catch (final NumberFormatException ex)
                {
                    continue;
                }
                if (probe == NativeIo.offsetOf(fd))
                {
                    found = fd;
                    matches++;
                }
            }
        }
        // Two matches: a descriptor of another file at the same offset, or a duplicate: neither can be told apart.
        return 1 == matches ? found : NOT_FOUND;
    }
}
