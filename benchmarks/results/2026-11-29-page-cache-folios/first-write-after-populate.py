import mmap, os, time, ctypes
libc = ctypes.CDLL(None)
N = 32768
fn = "/tmp/regr/pm3.bin"
try: os.unlink(fn)
except: pass
fd = os.open(fn, os.O_RDWR|os.O_CREAT, 0o644)
os.posix_fallocate(fd, 0, N*4096)
m = mmap.mmap(fd, N*4096, mmap.MAP_SHARED, mmap.PROT_READ|mmap.PROT_WRITE)
addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
data = os.urandom(4096)
for rnd in range(4):
    libc.madvise(ctypes.c_void_p(addr), ctypes.c_size_t(N*4096), 23)
    out=[]
    for c in range(0, N, 2048):
        t=time.perf_counter()
        for i in range(c, c+2048):
            m[i*4096:(i+1)*4096] = data
        out.append("%.2f" % ((time.perf_counter()-t)/2048*1e6))
    print(rnd, " ".join(out))
    t=time.perf_counter(); m.flush(); print(" flush %.3f s" % (time.perf_counter()-t))
