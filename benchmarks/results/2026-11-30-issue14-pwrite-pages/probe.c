// Commit probe: n data pages + 1 metadata page + 1 superblock page per commit, flushed once.
// usage: probe FILE MODE N COMMITS
//  MODE: data write method m=mmap memcpy, p=pwrite ; flush method: s=msync(span), f=fdatasync, r=sync_file_range+fdatasync
//  e.g. "ms" "ps" "pf" "mf"; suffix 'u' = never touch data pages through the mapping (only for p)
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <time.h>
#define PG 4096L
#define PAGES 65536L
static long now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1000000000L+t.tv_nsec;}
static int cmp(const void*a,const void*b){long x=*(long*)a,y=*(long*)b;return x<y?-1:x>y;}
static void stat_vda(long *w,long *ws,long *fl){FILE*f=fopen("/sys/block/vda/stat","r");long v[20]={0};for(int i=0;i<17;i++)if(fscanf(f,"%ld",&v[i])!=1)break;fclose(f);*w=v[4];*ws=v[6];*fl=v[15];}
int main(int argc,char**argv){
  const char*file=argv[1];const char*mode=argv[2];int n=atoi(argv[3]);int commits=atoi(argv[4]);
  int fd=open(file,O_RDWR|O_CREAT,0644);
  struct stat st;fstat(fd,&st);
  char*page=aligned_alloc(PG,PG);memset(page,7,PG);
  if(st.st_size<PAGES*PG){char*z=calloc(1,1<<20);for(long o=0;o<PAGES*PG;o+=1<<20)pwrite(fd,z,1<<20,o);fdatasync(fd);}
  fdatasync(fd); posix_fadvise(fd,0,0,POSIX_FADV_DONTNEED);
  char*map=mmap(NULL,PAGES*PG,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0);
  madvise(map,PAGES*PG,MADV_RANDOM);
  // touch (read) the header pages and the data area through the mapping, as the store's reads do
  volatile char sink=0; for(long p=0;p<64;p++)sink+=map[p*PG];
  int untouched = strchr(mode,'u')!=NULL;
  long base=40000; // far into the file
  if(!untouched) for(long p=base;p<base+4*n;p++) sink+=map[p*PG];
  long *tw=malloc(sizeof(long)*commits),*tf=malloc(sizeof(long)*commits),*tt=malloc(sizeof(long)*commits);
  long w0,ws0,f0;stat_vda(&w0,&ws0,&f0);struct rusage r0,r1;getrusage(RUSAGE_SELF,&r0);
  for(int c=0;c<commits;c++){
    long first=base+(c%3)*n; // pages reused every 3 commits (already flushed)
    page[0]=c;
    long t0=now();
    for(int i=0;i<n;i++){
      if(mode[0]=='m') memcpy(map+(first+i)*PG,page,PG); else pwrite(fd,page,PG,(first+i)*PG);
    }
    long t1=now();
    pwrite(fd,page,PG,(2+(c&1))*PG);  // metadata copy
    pwrite(fd,page,PG,(c&1)*PG);      // superblock
    long from=(c&1)*PG, to=(first+n)*PG;
    if(mode[1]=='s'){ if(msync(map+from,to-from,MS_SYNC))perror("msync"); }
    else if(mode[1]=='f'){ if(fdatasync(fd))perror("fdatasync"); }
    else if(mode[1]=='r'){ sync_file_range(fd,from,to-from,SYNC_FILE_RANGE_WRITE); if(fdatasync(fd))perror("fdatasync"); }
    long t2=now();
    tw[c]=t1-t0;tf[c]=t2-t1;tt[c]=t2-t0;
  }
  long w1,ws1,f1;stat_vda(&w1,&ws1,&f1);getrusage(RUSAGE_SELF,&r1);
  qsort(tw,commits,sizeof(long),cmp);qsort(tf,commits,sizeof(long),cmp);qsort(tt,commits,sizeof(long),cmp);
  printf("%-4s n=%-3d write p50 %6.0f us  flush p50 %6.0f p90 %6.0f us  total p50 %6.0f  | dev writes/commit %.1f KiB/commit %.1f flushes/commit %.2f minflt/commit %.1f\n",
    mode,n,tw[commits/2]/1e3,tf[commits/2]/1e3,tf[commits*9/10]/1e3,tt[commits/2]/1e3,(double)(w1-w0)/commits,(ws1-ws0)/2.0/commits,(double)(f1-f0)/commits,
    (double)(r1.ru_minflt-r0.ru_minflt)/commits);
  return 0;
}
