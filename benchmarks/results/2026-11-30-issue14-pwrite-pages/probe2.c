// Interleaved commit probe: modes alternate commit by commit, so load noise hits all alike.
// usage: probe2 FILE N COMMITS_PER_MODE MODE...   MODE = [m|p][s|f|r|d] (+u: data pages never mapped)
//   data: m = memcpy into the mapping, p = pwrite ; flush: s = msync(span), f = fdatasync,
//   r = sync_file_range(WRITE|WAIT_AFTER)+fdatasync, d = superblock by pwrite through O_DSYNC fd after fdatasync? (no: 'd' = data+meta pwrite, fdatasync, then sb via O_DSYNC: two flushes)
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#define PG 4096L
#define PAGES 65536L
static long now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1000000000L+t.tv_nsec;}
static int cmp(const void*a,const void*b){long x=*(long*)a,y=*(long*)b;return x<y?-1:x>y;}
static void stat_vda(long *v){FILE*f=fopen("/sys/block/vda/stat","r");for(int i=0;i<17;i++)if(fscanf(f,"%ld",&v[i])!=1)break;fclose(f);}
int main(int argc,char**argv){
  const char*file=argv[1];int n=atoi(argv[2]);int commits=atoi(argv[3]);int k=argc-4;char**modes=argv+4;
  int fd=open(file,O_RDWR|O_CREAT,0644);
  struct stat st;fstat(fd,&st);
  char*page=aligned_alloc(PG,PG);memset(page,7,PG);
  if(st.st_size<PAGES*PG){char*z=calloc(1,1<<20);for(long o=0;o<PAGES*PG;o+=1<<20)pwrite(fd,z,1<<20,o);}
  fdatasync(fd); posix_fadvise(fd,0,0,POSIX_FADV_DONTNEED);
  char*map=mmap(NULL,PAGES*PG,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0);
  madvise(map,PAGES*PG,MADV_RANDOM);
  volatile char sink=0; for(long p=0;p<64;p++)sink+=map[p*PG];
  long base[16];
  for(int j=0;j<k;j++){base[j]=20000+j*1000; if(!strchr(modes[j],'u')) for(long p=base[j];p<base[j]+3*n;p++) sink+=map[p*PG];}
  long *tw=malloc(sizeof(long)*commits*k),*tf=malloc(sizeof(long)*commits*k),*tt=malloc(sizeof(long)*commits*k);
  for(int c=0;c<commits*k;c++){
    int j=c%k; const char*mode=modes[j]; int i=c/k;
    long first=base[j]+(i%3)*n;
    page[0]=c;
    long t0=now();
    for(int q=0;q<n;q++){ if(mode[0]=='m') memcpy(map+(first+q)*PG,page,PG); else pwrite(fd,page,PG,(first+q)*PG); }
    long t1=now();
    pwrite(fd,page,PG,(2+(c&1))*PG);
    pwrite(fd,page,PG,(c&1)*PG);
    long from=(c&1)*PG, to=(first+n)*PG;
    if(mode[1]=='s'){ if(msync(map+from,to-from,MS_SYNC))perror("msync"); }
    else if(mode[1]=='f'){ if(fdatasync(fd))perror("fdatasync"); }
    else if(mode[1]=='r'){ sync_file_range(fd,from,to-from,SYNC_FILE_RANGE_WRITE|SYNC_FILE_RANGE_WAIT_AFTER); if(fdatasync(fd))perror("fdatasync"); }
    long t2=now();
    tw[j*commits+i]=t1-t0;tf[j*commits+i]=t2-t1;tt[j*commits+i]=t2-t0;
  }
  for(int j=0;j<k;j++){
    qsort(tw+j*commits,commits,sizeof(long),cmp);qsort(tf+j*commits,commits,sizeof(long),cmp);qsort(tt+j*commits,commits,sizeof(long),cmp);
    long*w=tw+j*commits,*f=tf+j*commits,*t=tt+j*commits;
    printf("%-4s n=%-3d write p50 %6.0f  flush p25/p50/p75 %5.0f %5.0f %5.0f  total p50 %6.0f us\n",modes[j],n,w[commits/2]/1e3,f[commits/4]/1e3,f[commits/2]/1e3,f[commits*3/4]/1e3,t[commits/2]/1e3);
  }
  return 0;
}
