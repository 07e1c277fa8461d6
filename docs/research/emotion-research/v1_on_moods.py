"""The version-1 song-emotion model (the Moo-Sic genre proxy, Models/song_emotion.json before commit 8f69aa3) on
moods_dev.csv, which it never saw: what Models/song_emotion.md compares version 2 with.
    git show 5df8dfb:Models/song_emotion.json > /tmp/song_emotion_v1.json
    python3 docs/research/emotion-research/v1_on_moods.py /tmp/song_emotion_v1.json
numpy only; moods_dev.csv from MOOSIC_DEV_DATA (docs/data-sources.md; required)."""
import csv, json, os, sys
import numpy as np
m=json.load(open(sys.argv[1]))
shared=os.environ.get('MOOSIC_DEV_DATA') or sys.exit('set MOOSIC_DEV_DATA to the development data folder (docs/data-sources.md)')
rows=list(csv.DictReader(open(os.path.join(shared, 'moods/moods_dev.csv'))))
def val(r,f):
    if f=='duration_ms': return float(r['length'])
    if f=='explicit': return 0.0
    return float(r[f])
X=np.array([[val(r,f) for f in m['features']] for r in rows],dtype=np.float32)
mn=np.array(m['scaler']['min']);mx=np.array(m['scaler']['max'])
span=mx-mn
Xs=np.where(span>0,np.clip((X-mn)/np.where(span>0,span,1),0,1),0)
p=np.array(m['parameters'],dtype=np.float32); sizes=m['layers']; off=0; a=Xs
for l in range(len(sizes)-1):
    W=p[off:off+sizes[l]*sizes[l+1]].reshape(sizes[l],sizes[l+1]); off+=sizes[l]*sizes[l+1]
    b=p[off:off+sizes[l+1]]; off+=sizes[l+1]
    a=a@W+b
    if l<len(sizes)-2: a=np.maximum(a,0)
s=1/(1+np.exp(-a[:,0]))
moods=np.array([r['mood'] for r in rows])
def auc(sc,lab):
    pos=sc[lab];neg=sc[~lab]; return (np.mean(pos[:,None]>neg[None,:])+0.5*np.mean(pos[:,None]==neg[None,:]))
def ece(sc,lab,b=10):
    bins=np.minimum((sc*b).astype(int),b-1); t=0
    for k in range(b):
        i=bins==k
        if i.any(): t+=i.sum()*abs(sc[i].mean()-lab[i].mean())
    return t/len(sc)
hs=(moods=='Happy')|(moods=='Sad'); lab=moods[hs]=='Happy'
print('v1 on moods_dev Happy/Sad: n %d acc %.3f auc %.3f ece %.3f'%(hs.sum(),np.mean((s[hs]>=0.5)==lab),auc(s[hs],lab),ece(s[hs],lab)))
ec=(moods=='Energetic')|(moods=='Calm'); le=moods[ec]=='Energetic'
print('v1 score as energy on Energetic/Calm: auc %.3f'%auc(s[ec],le))
e=np.array([float(r['energy']) for r in rows]); print('energy alone H/S auc %.3f'%auc(e[hs],lab))
