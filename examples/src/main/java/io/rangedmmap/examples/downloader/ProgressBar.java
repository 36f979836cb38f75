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

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line terminal progress bar (bytes, rate, ETA), redrawn in place with a carriage return.
 */
final class ProgressBar
{
    private static final int WIDTH = 30;
    private static final double MIB = 1024.0 * 1024.0;

    private final PrintStream out;
    private final long total;
    private final long alreadyDone;
    private final AtomicLong downloaded;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    private ProgressBar(final PrintStream out, final long total, final long alreadyDone, final AtomicLong downloaded)
    {
        this.out = out;
        this.total = total;
        this.alreadyDone = Math.min(alreadyDone, total);
        this.downloaded = downloaded;
        this.thread = Thread.ofPlatform().daemon().name("progress").unstarted(this::loop);
    }

    static ProgressBar start(final PrintStream out, final long total, final long alreadyDone,
        final AtomicLong downloaded)
    {
        final ProgressBar bar = new ProgressBar(out, total, alreadyDone, downloaded);
        bar.thread.start();
        return bar;
    }

    void stop() throws InterruptedException
    {
        running = false;
        thread.join();
        draw();
        out.println();
    }

    private void loop()
    {
        while (running)
        {
            draw();
            try
            {
                Thread.sleep(200);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private void draw()
    {
        final long now = downloaded.get();
        final long done = Math.min(total, alreadyDone + now);
        final double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        final double rate = now / seconds;
        final double eta = rate > 0 ? (total - done) / rate : Double.POSITIVE_INFINITY;
        final int filled = (int)(WIDTH * done / Math.max(1, total));
        out.print(String.format(Locale.ROOT, "\r[%s%s] %5.1f%% %8.1f/%.1f MiB %7.1f MiB/s ETA %s ",
            "#".repeat(filled), " ".repeat(WIDTH - filled), 100.0 * done / Math.max(1, total), done / MIB,
            total / MIB, rate / MIB, Double.isInfinite(eta) ? "--" : String.format(Locale.ROOT, "%.1fs", eta)));
        out.flush();
    }
}
