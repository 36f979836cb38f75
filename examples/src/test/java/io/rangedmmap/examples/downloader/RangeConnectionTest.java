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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain-HTTP connection against a scripted server: what a correct server sends is read exactly, and every answer
 * that would leave a gap or a wrong byte in the file is an {@code IOException} naming what was expected.
 */
class RangeConnectionTest
{
    private static final Pattern RANGE = Pattern.compile("(?m)^Range: bytes=(\\d+)-(\\d+)");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?m)^Content-Length: (\\d+)");
    private static final int TOTAL = 3 * 4096 + 100;
    private static final byte[] CONTENT = content();

    @TempDir
    Path dir;

    private ScriptedServer server;

    @AfterEach
    void stop() throws IOException
    {
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldReadRangesExactlyOverOneKeptAliveConnection() throws Exception
    {
        server = new ScriptedServer(RangeConnectionTest::correct);
        try (RangeConnection connection = new RangeConnection(server.uri(), 10))
        {
            assertEquals(TOTAL, connection.contentLength());
            final ByteBuffer first = ByteBuffer.allocateDirect(100);
            final List<Integer> positions = new ArrayList<>();
            connection.get(100, TOTAL, first, (position, read) -> positions.add(position));
            final ByteBuffer last = ByteBuffer.allocate(100);
            connection.get(TOTAL - 100, TOTAL, last, RangeConnectionTest::ignore);
            assertFalse(first.hasRemaining());
            assertArrayEquals(slice(100, 100), bytes(first.flip()));
            assertArrayEquals(slice(TOTAL - 100, 100), bytes(last.flip()));
            assertEquals(100, positions.getLast());
        }
        assertEquals(1, server.connections.get(), "one HEAD and two GETs on one keep-alive connection");
    }

    @Test
    void shouldRefuseAnAnswerOtherThan206() throws Exception
    {
        server = new ScriptedServer(request -> response("200 OK", "Content-Length: " + TOTAL, CONTENT));
        final IOException ex = getFails(0, 100);
        assertTrue(ex.getMessage().contains("answered 200; expected 206 Partial Content"), ex.getMessage());
    }

    @Test
    void shouldRefuseAContentRangeOtherThanTheOneAskedFor() throws Exception
    {
        server = new ScriptedServer(request -> response("206 Partial Content",
            "Content-Range: bytes 0-99/" + TOTAL + "\r\nContent-Length: 100", slice(0, 100)));
        final IOException ex = getFails(100, 100);
        assertTrue(ex.getMessage().contains("Content-Range=bytes 0-99/" + TOTAL) &&
            ex.getMessage().contains("expected Content-Range=bytes 100-199/" + TOTAL), ex.getMessage());
    }

    @Test
    void shouldRefuseAChunkedBody() throws Exception
    {
        server = new ScriptedServer(request -> response("206 Partial Content",
            "Content-Range: bytes 0-99/" + TOTAL + "\r\nTransfer-Encoding: chunked", new byte[0]));
        final IOException ex = getFails(0, 100);
        assertTrue(ex.getMessage().contains("chunked"), ex.getMessage());
    }

    @Test
    void shouldFailWhenTheBodyEndsEarly() throws Exception
    {
        server = new ScriptedServer(request -> response("206 Partial Content",
            "Content-Range: bytes 0-99/" + TOTAL + "\r\nContent-Length: 100\r\nConnection: close", slice(0, 50)));
        final IOException ex = getFails(0, 100);
        assertTrue(ex.getMessage().contains("ended after 50 of 100 bytes"), ex.getMessage());
    }

    @Test
    void shouldRefuseANonHttpUrl()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new RangeConnection(URI.create("https://example.org/file"), 10));
        assertTrue(ex.getMessage().contains("https://example.org/file"), ex.getMessage());
    }

    @Test
    void shouldFailTheDownloadAndNotJournalARangeCutShort() throws Exception
    {
        // Four chunks of 4096 bytes; every range is served correctly except the second, whose connection closes
        // 50 bytes short.
        server = new ScriptedServer(request ->
        {
            final byte[] good = correct(request);
            return request.contains("bytes=4096-") ? Arrays.copyOf(good, good.length - 50) : good;
        });
        final Path target = dir.resolve("cut.bin");
        final IOException ex = assertThrows(IOException.class,
            () -> new ParallelDownloader(2, 4096).download(server.uri(), target, null));
        assertTrue(ex.getMessage().contains("ended after 4046 of 4096 bytes"), ex.getMessage());
        // The journal is kept for a resume; it must not list the chunk cut short.
        final ByteBuffer journal = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("cut.bin.parts")))
            .order(ByteOrder.LITTLE_ENDIAN);
        final List<Integer> done = new ArrayList<>();
        for (int at = 4 + 16; at + 4 <= journal.limit(); at += 4)
        {
            done.add(journal.getInt(at));
        }
        assertFalse(done.contains(1), "a range cut short was journalled as done: " + done);
        assertTrue(done.contains(0), "the first range arrived whole: " + done);
    }

    private IOException getFails(final long start, final int length) throws Exception
    {
        try (RangeConnection connection = new RangeConnection(server.uri(), 10))
        {
            return assertThrows(IOException.class, () -> connection.get(start, TOTAL, ByteBuffer.allocate(length),
                RangeConnectionTest::ignore));
        }
    }

    private static void ignore(final int position, final int read)
    {
        // Progress is not what these tests check.
    }

    private static byte[] correct(final String request)
    {
        if (request.startsWith("HEAD "))
        {
            return response("200 OK", "Content-Length: " + TOTAL, new byte[0]);
        }
        final Matcher matcher = RANGE.matcher(request);
        if (!matcher.find())
        {
            return response("200 OK", "Content-Length: " + TOTAL, CONTENT);
        }
        final int from = Integer.parseInt(matcher.group(1));
        final int to = Math.min(TOTAL - 1, Integer.parseInt(matcher.group(2)));
        return response("206 Partial Content", "Content-Range: bytes " + from + "-" + to + "/" + TOTAL +
            "\r\nContent-Length: " + (to - from + 1), slice(from, to - from + 1));
    }

    private static byte[] response(final String status, final String headers, final byte[] body)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("HTTP/1.1 " + status + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] slice(final int from, final int length)
    {
        return Arrays.copyOfRange(CONTENT, from, from + length);
    }

    private static byte[] bytes(final ByteBuffer buffer)
    {
        final byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static byte[] content()
    {
        final byte[] bytes = new byte[TOTAL];
        for (int i = 0; i < TOTAL; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }

    /**
     * Answers each request on a connection with the bytes its script gives; a short answer (cut body) closes the
     * connection, as a server that died would.
     */
    private static final class ScriptedServer implements AutoCloseable
    {
        private final ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final Function<String, byte[]> script;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        ScriptedServer(final Function<String, byte[]> script) throws IOException
        {
            this.script = script;
            acceptor = Thread.ofVirtual().start(this::accept);
        }

        URI uri()
        {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/file");
        }

        private void accept()
        {
            while (!socket.isClosed())
            {
                try
                {
                    final Socket client = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(client));
                }
                catch (final IOException closed)
                {
                    return;
                }
            }
        }

        private void serve(final Socket client)
        {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream())
            {
                final StringBuilder request = new StringBuilder();
                int b;
                while (-1 != (b = in.read()))
                {
                    request.append((char)b);
                    if (request.toString().endsWith("\r\n\r\n"))
                    {
                        final String text = request.toString();
                        request.setLength(0);
                        final byte[] answer = script.apply(text);
                        out.write(answer);
                        out.flush();
                        if (!complete(text, answer))
                        {
                            return;
                        }
                    }
                }
            }
            catch (final IOException ignored)
            {
                // The client went away: nothing to answer.
            }
        }

        private static boolean complete(final String request, final byte[] answer)
        {
            // Keep the connection for the next request only if this answer was whole and did not ask to close.
            final String text = new String(answer, StandardCharsets.ISO_8859_1);
            final int end = text.indexOf("\r\n\r\n");
            final Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end));
            final boolean whole = request.startsWith("HEAD ") || !length.find() ||
                answer.length - end - 4 == Integer.parseInt(length.group(1));
            return whole && !text.substring(0, end).contains("Connection: close");
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
            try
            {
                acceptor.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
