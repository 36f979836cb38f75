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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One plain-HTTP/1.1 keep-alive connection that reads ranged response bodies straight into a {@code ByteBuffer}
 * over the range's view of the mapping: the kernel's {@code read} copies from the socket into the mapped pages, so
 * the body crosses user space zero times (the JDK's {@code HttpClient} reads each 16 KiB into a fresh heap buffer,
 * hands it through its reactive pipeline, and then it is copied again).
 *
 * <p>Strict by design, since a wrong byte would go unnoticed until the SHA-256: a GET must answer
 * {@code 206 Partial Content} with a {@code Content-Range} of exactly the bytes asked for and a {@code Content-Length}
 * of exactly that many bytes (no chunked encoding); a body that ends early, a server that sends nothing for the stall
 * timeout, or a malformed answer is an {@link IOException} naming what was expected.
 *
 * <p><b>Thread safety:</b> none; one thread uses a connection at a time.
 */
final class RangeConnection implements AutoCloseable
{
    /**
     * Receives the count of body bytes each read put into the destination.
     */
    @FunctionalInterface
    interface Progress
    {
        /**
         * Called after each read, on the reading thread.
         *
         * @param position body bytes received so far.
         * @param read     bytes this read added.
         */
        void received(int position, int read);
    }

    private static final int MAX_HEADER = 16 * 1024;

    private final URI source;
    private final String host;
    private final int port;
    private final String target;
    private final long stallMillis;
    private final ByteBuffer header = ByteBuffer.allocate(MAX_HEADER);
    private SocketChannel channel;
    private Selector selector;
    private SelectionKey key;

    /**
     * A connection to the origin of {@code source}, opened at the first request (and again if the server closes it).
     *
     * @param source       an {@code http} URL.
     * @param stallSeconds the longest wait for the server before giving up.
     * @throws IllegalArgumentException if {@code source} is not an absolute {@code http} URL with a host.
     */
    RangeConnection(final URI source, final long stallSeconds)
    {
        if (!"http".equalsIgnoreCase(source.getScheme()) || null == source.getHost())
        {
            throw new IllegalArgumentException("source=" + source + " must be an absolute http:// URL with a host");
        }
        this.source = source;
        this.host = source.getHost();
        this.port = -1 == source.getPort() ? 80 : source.getPort();
        final String path = null == source.getRawPath() || source.getRawPath().isEmpty() ? "/" : source.getRawPath();
        this.target = null == source.getRawQuery() ? path : path + "?" + source.getRawQuery();
        this.stallMillis = stallSeconds * 1000;
    }

    /**
     * {@return the length of the resource, from a {@code HEAD} request answered {@code 200} with a
     * {@code Content-Length}}
     *
     * @throws IOException if the request fails or the answer is not that.
     */
    long contentLength() throws IOException
    {
        final Response response = exchange("HEAD " + target + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
        if (200 != response.status)
        {
            throw new IOException("HEAD " + source + " answered " + response.status);
        }
        if (response.contentLength < 0)
        {
            throw new IOException("HEAD " + source + " gave no Content-Length");
        }
        // A HEAD answer has no body whatever its Content-Length says.
        header.position(header.limit());
        closeIfAsked(response);
        return response.contentLength;
    }

    /**
     * Reads bytes {@code [start, start + dst.remaining())} of a resource of {@code total} bytes into {@code dst},
     * which is filled exactly.
     *
     * @param start    the first byte.
     * @param total    the resource's length (the {@code Content-Range} must name it).
     * @param dst      where the body goes; its position ends at its limit.
     * @param progress told after each read.
     * @throws IOException if the request fails, the answer is not exactly that range, the body ends early, or the
     *                     server stalls.
     */
    void get(final long start, final long total, final ByteBuffer dst, final Progress progress) throws IOException
    {
        final int length = dst.remaining();
        final long end = start + length - 1;
        final String range = start + "-" + end;
        final Response response = exchange("GET " + target + " HTTP/1.1\r\nHost: " + authority() + "\r\nRange: bytes=" +
            range + "\r\n\r\n");
        if (206 != response.status)
        {
            throw new IOException("GET " + source + " range " + range + " answered " + response.status +
                "; expected 206 Partial Content");
        }
        final String expected = "bytes " + range + "/" + total;
        if (!expected.equals(response.contentRange) || length != response.contentLength || response.chunked)
        {
            throw new IOException("GET " + source + " range " + range + " answered Content-Range=" +
                response.contentRange + " Content-Length=" + response.contentLength + (response.chunked ?
                " chunked" : "") + "; expected Content-Range=" + expected + " Content-Length=" + length);
        }
        final int base = dst.position();
        // Body bytes that arrived with the headers.
        final int early = Math.min(header.remaining(), length);
        if (early > 0)
        {
            dst.put(dst.position(), header, header.position(), early);
            header.position(header.position() + early);
            dst.position(dst.position() + early);
            progress.received(early, early);
        }
        while (dst.hasRemaining())
        {
            final int read = channel.read(dst);
            if (read < 0)
            {
                close();
                throw new IOException("GET " + source + " range " + range + " ended after " + (dst.position() - base) +
                    " of " + length + " bytes");
            }
            if (0 == read)
            {
                await(SelectionKey.OP_READ, "range " + range + " after " + (dst.position() - base) + " bytes");
            }
            else
            {
                progress.received(dst.position() - base, read);
            }
        }
        closeIfAsked(response);
    }

    @Override
    public void close() throws IOException
    {
        final SocketChannel open = channel;
        final Selector openSelector = selector;
        channel = null;
        selector = null;
        key = null;
        if (null != open)
        {
            try
            {
                openSelector.close();
            }
            finally
            {
                open.close();
            }
        }
    }

    private String authority()
    {
        return -1 == source.getPort() ? host : host + ":" + port;
    }

    private void closeIfAsked(final Response response) throws IOException
    {
        if (response.close)
        {
            close();
        }
    }

    private Response exchange(final String request) throws IOException
    {
        if (null == channel)
        {
            open();
        }
        final ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining())
        {
            if (0 == channel.write(bytes))
            {
                await(SelectionKey.OP_WRITE, "sending the request");
            }
        }
        return readHeaders();
    }

    private void open() throws IOException
    {
        final SocketChannel opened = SocketChannel.open(new InetSocketAddress(host, port));
        try
        {
            opened.configureBlocking(false);
            selector = Selector.open();
            key = opened.register(selector, SelectionKey.OP_READ);
            channel = opened;
            header.clear().flip();
        }
        catch (final IOException | RuntimeException ex)
        {
            opened.close();
            throw ex;
        }
    }

    private Response readHeaders() throws IOException
    {
        // header holds [position, limit) unread bytes; headers end at the first empty line.
        int end;
        while (-1 == (end = headerEnd()))
        {
            header.compact();
            if (!header.hasRemaining())
            {
                throw new IOException(source + ": response headers longer than " + MAX_HEADER + " bytes");
            }
            final int read = channel.read(header);
            header.flip();
            if (read < 0)
            {
                close();
                throw new IOException(source + ": connection closed before the response headers ended");
            }
            if (0 == read)
            {
                await(SelectionKey.OP_READ, "the response headers");
            }
        }
        final String text = new String(header.array(), header.position(), end - header.position(),
            StandardCharsets.ISO_8859_1);
        header.position(end + 4);
        return Response.parse(source, text);
    }

    private int headerEnd()
    {
        for (int i = header.position(); i + 3 < header.limit(); i++)
        {
            if ('\r' == header.get(i) && '\n' == header.get(i + 1) && '\r' == header.get(i + 2) &&
                '\n' == header.get(i + 3))
            {
                return i;
            }
        }
        return -1;
    }

    private void await(final int ops, final String what) throws IOException
    {
        key.interestOps(ops);
        if (0 == selector.select(stallMillis))
        {
            close();
            throw new IOException(source + ": no progress for " + stallMillis / 1000 + " s waiting for " + what);
        }
        selector.selectedKeys().clear();
    }

    /**
     * The parts of a response's head that the downloader checks.
     */
    private record Response(int status, long contentLength, String contentRange, boolean chunked, boolean close)
    {
        static Response parse(final URI source, final String head) throws IOException
        {
            final String[] lines = head.split("\r\n");
            final String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1."))
            {
                throw new IOException(source + ": malformed status line '" + lines[0] + "'");
            }
            final int status;
            try
            {
                status = Integer.parseInt(statusLine[1]);
            }
            catch (final NumberFormatException ex)
            {
                throw new IOException(source + ": malformed status line '" + lines[0] + "'", ex);
            }
            long contentLength = -1;
            String contentRange = null;
            boolean chunked = false;
            boolean close = "HTTP/1.0".equals(statusLine[0]);
            for (int i = 1; i < lines.length; i++)
            {
                final int colon = lines[i].indexOf(':');
                if (colon <= 0)
                {
                    throw new IOException(source + ": malformed header line '" + lines[i] + "'");
                }
                final String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                final String value = lines[i].substring(colon + 1).trim();
                switch (name)
                {
                    case "content-length" -> contentLength = parseLength(source, value);
                    case "content-range" -> contentRange = value;
                    case "transfer-encoding" -> chunked = !"identity".equalsIgnoreCase(value);
                    case "connection" -> close = "close".equalsIgnoreCase(value);
                    default ->
                    {
                    }
                }
            }
            return new Response(status, contentLength, contentRange, chunked, close);
        }

        private static long parseLength(final URI source, final String value) throws IOException
        {
            try
            {
                final long length = Long.parseLong(value);
                if (length >= 0)
                {
                    return length;
                }
            }
            catch (final NumberFormatException ignored)
            {
                // Reported below with the value.
            }
            throw new IOException(source + ": Content-Length=" + value + " is not a non-negative number");
        }
    }
}
