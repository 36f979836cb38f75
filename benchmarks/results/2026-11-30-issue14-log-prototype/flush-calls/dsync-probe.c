// One-page commit by flush system call, the three shapes the store could use, interleaved commit by commit so that
// the machine's noise hits all alike. A commit writes one data page, one metadata page and the superblock (page 0)
// with pwrite into a zero-filled file, then makes them durable:
//   s: one msync(MS_SYNC) of the span from the superblock to the data page (the store today: one flush)
//   f: one fdatasync of the file (one flush)
//   d: fdatasync for the data and metadata, then the superblock by pwrite through a second, O_DSYNC descriptor
//      (LMDB's meta-page write: two flushes, as a checkpoint without a checksum over what it names must be)
// usage: dsync-probe FILE COMMITS_PER_MODE
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#define PG 4096L
#define FILE_PAGES 65536L
static double now_us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv)
{
    const char *path = argv[1];
    const int n = atoi(argv[2]);
    const int storeLike = NULL != getenv("STORELIKE");
    int fd = open(path, storeLike ? O_RDWR : O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *zeros = calloc(1, 1 << 20);
    if (!storeLike)
    {
        for (long at = 0; at < FILE_PAGES * PG; at += 1 << 20) pwrite(fd, zeros, 1 << 20, at);
        fsync(fd);
    }
    int dfd = open(path, O_RDWR | O_DSYNC);
    char *map = mmap(NULL, FILE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    madvise(map, FILE_PAGES * PG, MADV_RANDOM);
    char page[PG];
    const char modes[] = "sfd";
    double *lat[3];
    for (int m = 0; m < 3; m++) lat[m] = malloc(sizeof(double) * n);
    for (int i = 0; i < n; i++)
    {
        for (int m = 0; m < 3; m++)
        {
            memset(page, i + m, PG);
            const long data = storeLike ? (300 + (i * 3 + m) % 60000) * PG : getenv("MARCH") ? (40 + (i * 3 + m) % 60000) * PG : (8 + (i * 3 + m) % 480) * PG;
            const long meta = storeLike ? (2 + (i & 1)) * PG : 2 * PG;
            const long sb = (i & 1) * PG;
            const double t0 = now_us();
            pwrite(fd, page, PG, data);
            pwrite(fd, page, PG, meta);
            if ('s' == modes[m]) { pwrite(fd, page, PG, sb); msync(map, data + PG, MS_SYNC); }
            else if ('f' == modes[m]) { pwrite(fd, page, PG, sb); fdatasync(fd); }
            else { fdatasync(fd); pwrite(dfd, page, PG, sb); }
            lat[m][i] = now_us() - t0;
        }
    }
    for (int m = 0; m < 3; m++)
    {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += lat[m][i];
        qsort(lat[m], n, sizeof(double), cmp);
        printf("%c commits=%d mean=%.0f us p50=%.0f p99=%.0f commits/s=%.0f\n", modes[m], n, sum / n, lat[m][n / 2],
            lat[m][n * 99 / 100], 1e6 * n / sum);
    }
    return 0;
}
