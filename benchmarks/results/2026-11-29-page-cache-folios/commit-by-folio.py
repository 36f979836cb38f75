import mmap, os, time, ctypes, random, sys
libc = ctypes.CDLL(None, use_errno=True)
N = 32768
def setup(adv):
    fn = "/tmp/regr/pm7.bin"
    try: os.unlink(fn)
    except: pass
    fd = os.open(fn, os.O_RDWR|os.O_CREAT, 0o644)
    os.posix_fallocate(fd, 0, N*4096)
    m = mmap.mmap(fd, N*4096, mmap.MAP_SHARED, mmap.PROT_READ|mmap.PROT_WRITE)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
    if adv is not None: libc.madvise(ctypes.c_void_p(addr), ctypes.c_size_t(N*4096), adv)
    libc.madvise(ctypes.c_void_p(addr), ctypes.c_size_t(N*4096), 23)
    m.flush()
    return fd, m, addr
data = os.urandom(4096)
for label, adv in [("default", None), ("hugepage", 14), ("nohugepage", 15), ("random", 1)]:
    fd, m, addr = setup(adv)
    sm = open("/proc/self/smaps").read().split("\n")
    pmd = [l for j,l in enumerate(sm) if "FilePmdMapped" in l and any("pm7.bin" in sm[k] for k in range(max(0,j-20), j))]
    ws = []; ls=[]; s0=int(open("/sys/block/vda/stat").read().split()[6])
    rnd = random.Random(1)
    for k in range(300):
        pg = rnd.randrange(N)
        t = time.perf_counter()
        m[pg*4096:(pg+1)*4096] = data
        t1 = time.perf_counter()
        r = libc.msync(ctypes.c_void_p(addr + pg*4096), ctypes.c_size_t(4096), 4)
        t2 = time.perf_counter()
        ws.append(t1-t); ls.append(t2-t1)
    ws.sort(); ls.sort()
    s1=int(open("/sys/block/vda/stat").read().split()[6]); print(" KiB written per commit %.1f" % ((s1-s0)*512/1024/300))
    print(label, pmd, "write p50 %.1f us, msync p50 %.0f us p90 %.0f us" % (ws[150]*1e6, ls[150]*1e6, ls[270]*1e6))
    m.close(); os.close(fd)
# pwrite + fdatasync
fd = os.open("/tmp/regr/pm7.bin", os.O_RDWR)
ls=[]; s0=int(open("/sys/block/vda/stat").read().split()[6])
rnd = random.Random(1)
for k in range(300):
    pg = rnd.randrange(N)
    t=time.perf_counter(); os.pwrite(fd, data, pg*4096); os.fdatasync(fd); ls.append(time.perf_counter()-t)
s1=int(open("/sys/block/vda/stat").read().split()[6]); print(" KiB per commit %.1f" % ((s1-s0)*512/1024/300))
ls.sort(); print("pwrite+fdatasync p50 %.0f us p90 %.0f" % (ls[150]*1e6, ls[270]*1e6))
