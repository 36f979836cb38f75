import glob,re,sys,collections
rows=collections.defaultdict(lambda: collections.defaultdict(list))
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d+'/*/commits.md')):
        v=f.split('/')[-2].split('-')[0]
        for l in open(f):
            m=re.match(r'\| (\d+) \| (\d+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([\d.]+)',l)
            if m:
                key=(int(m[1]),int(m[2])); store=int(m[3].replace(',',''))
                peers=[int(m[i].replace(',','')) for i in range(4,8)]
                rows[key][v].append((store, store/max(peers), f.split('/')[-2]))
for key in sorted(rows):
    out=[]
    for v in ('pp','gc'):
        r=rows[key][v]
        out.append(v+': ratios '+' '.join('%.2f'%x[1] for x in r)+' store '+' '.join(str(x[0]) for x in r))
    print('pages %d writers %d | '%key+' | '.join(out))
