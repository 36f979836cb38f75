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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A parallel download end to end: a local HTTP server serves a generated file with {@code Range} support, the
 * downloader fetches it in concurrent ranged requests straight into a mapped file with a live progress bar, and
 * the SHA-256 (computed while the file downloads) is checked at the end. Kill it half-way and run it again: it
 * resumes.
 *
 * <p>Arguments: {@code [sizeMiB=256] [connections=8] [file=download.bin]}, or {@code --url URL FILE [connections=8]
 * [chunkBytes]} to download from a server that is already running (chunks sized to the connections unless given).
 */
public final class DownloaderDemo
{
    private DownloaderDemo()
    {
    }

    /**
     * Entry point.
     *
     * @param args see the class comment.
     * @throws Exception if the download fails or its SHA-256 does not match.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length >= 3 && "--url".equals(args[0]))
        {
            final int connections = args.length > 3 ? Integer.parseInt(args[3]) : 8;
            final ParallelDownloader downloader = args.length > 4 ?
                new ParallelDownloader(connections, Integer.parseInt(args[4])) :
                ParallelDownloader.sizedToConnections(connections);
            final ParallelDownloader.Result result = downloader.download(URI.create(args[1]), Path.of(args[2]),
                System.out);
            System.out.println(String.format(Locale.ROOT, "%d chunks of %d bytes (%d resumed), %.1f MiB downloaded " +
                "in %.3f s, durable %.3f s later, sha256 ready %.3f s after that", result.chunks(),
                downloader.chunkSizeFor(result.length()), result.resumedChunks(), result.downloadedBytes() / 1048576.0,
                result.downloadNanos() / 1e9, (result.durableNanos() - result.downloadNanos()) / 1e9,
                (result.nanos() - result.durableNanos()) / 1e9));
            // Lines for scripts (benchmarks/download-vs-aria2.sh reads them).
            System.out.println(String.format(Locale.ROOT, "download-seconds %.3f", result.downloadNanos() / 1e9));
            System.out.println(String.format(Locale.ROOT, "durable-seconds %.3f", result.durableNanos() / 1e9));
            System.out.println("sha256 " + result.sha256());
            return;
        }
        final long size = (args.length > 0 ? Long.parseLong(args[0]) : 256) << 20;
        final int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        final Path file = Path.of(args.length > 2 ? args[2] : "download.bin");
        System.out.println("serving " + (size >> 20) + " MiB of generated data on loopback, computing its SHA-256");
        try (RangeServer server = new RangeServer(new GeneratedContent(size, 1), 0))
        {
            if (Files.exists(file) && !Files.exists(file.resolveSibling(file.getFileName() + ".parts")))
            {
                Files.delete(file);
            }
            final ParallelDownloader downloader = ParallelDownloader.sizedToConnections(connections);
            System.out.println("downloading " + server.uri() + " into " + file + " with " + connections +
                " connections, " + downloader.chunkSizeFor(size) / 1048576.0 + " MiB per request");
            final ParallelDownloader.Result result = downloader.download(server.uri(), file, System.out);
            final boolean match = result.sha256().equals(server.sha256());
            System.out.println(String.format(Locale.ROOT, "%d chunks (%d resumed), %.1f MiB in %.2f s, sha256 %s %s",
                result.chunks(), result.resumedChunks(), result.downloadedBytes() / 1048576.0, result.nanos() / 1e9,
                result.sha256(), match ? "matches" : "DOES NOT MATCH " + server.sha256()));
            if (!match)
            {
                System.exit(1);
            }
        }
    }
}
