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

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on loopback that serves generated content at {@code /file} with HTTP {@code Range} support
 * ({@code 206 Partial Content}), and its SHA-256 at {@code /file.sha256}. Optionally throttled per connection, so a
 * download can be watched and interrupted.
 */
public final class RangeServer implements AutoCloseable
{
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final GeneratedContent content;
    private final long bytesPerSecond;
    private final String sha256;

    /**
     * Starts the server on an ephemeral loopback port.
     *
     * @param content        what to serve.
     * @param bytesPerSecond throttle per connection, 0 for none.
     * @throws IOException if the server cannot bind.
     */
    public RangeServer(final GeneratedContent content, final long bytesPerSecond) throws IOException
    {
        this.content = content;
        this.bytesPerSecond = bytesPerSecond;
        this.sha256 = content.sha256();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/file", this::serve);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /**
     * {@return the URI of the served file}
     */
    public URI uri()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file");
    }

    /**
     * {@return the SHA-256 of the served file, in hex}
     */
    public String sha256()
    {
        return sha256;
    }

    private void serve(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            if (exchange.getRequestURI().getPath().endsWith(".sha256"))
            {
                final byte[] body = sha256.getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            long from = 0;
            long to = content.length() - 1;
            final String range = exchange.getRequestHeaders().getFirst("Range");
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            if (null != range)
            {
                final Matcher matcher = RANGE.matcher(range);
                if (!matcher.matches() || Long.parseLong(matcher.group(1)) >= content.length())
                {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length());
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                from = Long.parseLong(matcher.group(1));
                if (!matcher.group(2).isEmpty())
                {
                    to = Math.min(to, Long.parseLong(matcher.group(2)));
                }
                exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + to + "/" + content.length());
            }
            final long length = to - from + 1;
            if ("HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(null == range ? 200 : 206, -1);
                return;
            }
            exchange.sendResponseHeaders(null == range ? 200 : 206, length);
            send(exchange.getResponseBody(), from, length);
        }
    }

    private void send(final OutputStream out, final long from, final long length) throws IOException
    {
        final byte[] buffer = new byte[16 * 1024];
        final long start = System.nanoTime();
        long sent = 0;
        while (sent < length)
        {
            final int count = (int)Math.min(buffer.length, length - sent);
            content.fill(from + sent, buffer, count);
            out.write(buffer, 0, count);
            sent += count;
            if (bytesPerSecond > 0)
            {
                final long due = start + sent * 1_000_000_000L / bytesPerSecond;
                final long wait = due - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
