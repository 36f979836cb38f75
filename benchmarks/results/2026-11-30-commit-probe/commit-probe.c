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
/*
 * What does one durable commit cost on this disk, by the shape of what it writes? Each variant writes some 4 KiB
 * blocks with pwrite into a zero-filled 256 MiB file (written extents, as CommitPeers prepares the store) and makes
 * them durable with one fdatasync; variants alternate within one run, so they share the machine's noise.
 *
 *   cc -O2 -o commit-probe commit-probe.c && ./commit-probe FILE ROUNDS NEAR
 *
 * NEAR=1 puts the "data" page among the first 512 pages (as the store's allocator, which prefers low ids, does for
 * the CommitPeers writer) and the "meta" page at page 2 (group 0's metadata); NEAR=0 puts data anywhere in the file
 * and meta among pages 16-79.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096L
#define PAGES 65536L
#define VARIANTS 7

static double micros(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 4)
    {
        fprintf(stderr, "usage: %s FILE ROUNDS NEAR(0|1)\n", argv[0]);
        return 2;
    }
    const int rounds = atoi(argv[2]);
    const int near = atoi(argv[3]);
    const int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *buf = aligned_alloc(PAGE, 1 << 20);
    memset(buf, 0, 1 << 20);
    for (long at = 0; at < PAGES * PAGE; at += 1 << 20)
    {
        pwrite(fd, buf, 1 << 20, at);
    }
    fsync(fd);
    static const char *names[VARIANTS] = {
        "data+meta+superblock (the store's commit)", "data+superblock (entries carried in the superblock)",
        "append 4,120 B at a log head (SQLite WAL frame)", "superblock only (1 block)",
        "8 KiB contiguous at the superblock (header + data copy)", "meta+superblock", "two adjacent data pages"};
    double *t[VARIANTS];
    for (int v = 0; v < VARIANTS; v++)
    {
        t[v] = malloc(sizeof(double) * rounds);
    }
    srand(1);
    long log = 0;
    for (int i = 0; i < rounds; i++)
    {
        for (int v = 0; v < VARIANTS; v++)
        {
            memset(buf, i + v, 2 * PAGE);
            const long data = (near ? 4 + rand() % 500 : 1024 + rand() % (PAGES - 2048)) * PAGE;
            const long meta = (near ? 2 : 16 + rand() % 64) * PAGE;
            const double start = micros();
            switch (v)
            {
                case 0: pwrite(fd, buf, PAGE, data); pwrite(fd, buf, PAGE, meta); pwrite(fd, buf, PAGE, 0); break;
                case 1: pwrite(fd, buf, PAGE, data); pwrite(fd, buf, PAGE, 0); break;
                case 2: pwrite(fd, buf, PAGE + 24, (PAGES - 1024) * PAGE + log); log = (log + PAGE + 24) % (1000 * PAGE);
                    break;
                case 3: pwrite(fd, buf, PAGE, 0); break;
                case 4: pwrite(fd, buf, 2 * PAGE, 0); break;
                case 5: pwrite(fd, buf, PAGE, meta); pwrite(fd, buf, PAGE, 0); break;
                default: pwrite(fd, buf, PAGE, data); pwrite(fd, buf, PAGE, data + PAGE); break;
            }
            fdatasync(fd);
            t[v][i] = micros() - start;
        }
    }
    printf("near=%d rounds=%d\n", near, rounds);
    for (int v = 0; v < VARIANTS; v++)
    {
        qsort(t[v], rounds, sizeof(double), compare);
        printf("%-55s p50 %4.0f  p90 %4.0f us\n", names[v], t[v][rounds / 2], t[v][rounds * 9 / 10]);
    }
    close(fd);
    unlink(argv[1]);
    return 0;
}
