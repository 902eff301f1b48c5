# Fine-tunes the shipped static word vectors for retrieval: a text's vector is what the runtime makes
# (src/search/static-embedder.ts: SIF-weighted sum of its words' vectors, the common component removed,
# unit length), and training pulls a pair's two vectors together and apart from every other passage
# in the batch (contrastive, in-batch negatives, both directions). The pairs (pairs.ts) are headings,
# man-page NAME lines and package short descriptions beside the text they name: short search-like text
# beside its answer, which is what a mean of word vectors was never trained for. A pull back toward
# the starting vectors keeps what fasttext learned for words the pairs rarely show.
# Usage: /usr/bin/python3 scripts/vectors/train-pairs.py <base dir> <pairs.tsv> <out dir> [key=value...]
# (table-io.ts dump makes <base dir>; table-io.ts load turns <out dir> into a table). Needs Debian's
# python3-torch. Seeded, on 2 threads (the same table again needs the same thread count and torch);
# ~10 minutes on 2 cores.
import json, os, random, sys, time
import numpy as np
import torch

base, pairs_file, out = sys.argv[1:4]
opt = dict(a.split('=') for a in sys.argv[4:])
EPOCHS = int(opt.get('epochs', 4))
BATCH = int(opt.get('batch', 512))
LR = float(opt.get('lr', 1e-3))
TAU = float(opt.get('tau', 0.05))
REG = float(opt.get('reg', 1.0))
SEED = int(opt.get('seed', 1))
torch.manual_seed(SEED)
random.seed(SEED)
torch.set_num_threads(int(opt.get('threads', 2)))

meta = json.load(open(f'{base}/meta.json'))
dim, count = meta['dim'], meta['count']
words = open(f'{base}/words.txt', encoding='utf8').read().split('\n')[:count]
index = {w: i for i, w in enumerate(words)}
E0 = torch.from_numpy(np.fromfile(f'{base}/vectors.f32', dtype='<f4').reshape(count, dim).copy())
W = torch.from_numpy(np.fromfile(f'{base}/weights.f32', dtype='<f4').copy())
C = torch.from_numpy(np.fromfile(f'{base}/common.f32', dtype='<f4').copy())

def ids(text):
    return [index[t] for t in text.split(' ') if t in index]

pairs = []
for line in open(pairs_file, encoding='utf8'):
    q, p, _src = line.rstrip('\n').split('\t')
    qi, pi = ids(q), ids(p)
    if qi and pi:
        pairs.append((qi, pi))
random.shuffle(pairs)
n_val = max(512, len(pairs) // 50)
val, train = pairs[:n_val], pairs[n_val:]
print(f'{len(train)} training pairs, {len(val)} for validation', file=sys.stderr)

E = torch.nn.Parameter(E0.clone())

def encode(batch):
    flat = torch.tensor([i for b in batch for i in b], dtype=torch.long)
    offsets = torch.tensor(np.cumsum([0] + [len(b) for b in batch[:-1]]), dtype=torch.long)
    v = torch.nn.functional.embedding_bag(flat, E, offsets, mode='sum', per_sample_weights=W[flat])
    v = v - (v @ C)[:, None] * C[None, :]
    return torch.nn.functional.normalize(v, dim=1)

def loss_of(batch):
    q = encode([b[0] for b in batch])
    p = encode([b[1] for b in batch])
    logits = q @ p.T / TAU
    target = torch.arange(len(batch))
    return (torch.nn.functional.cross_entropy(logits, target) + torch.nn.functional.cross_entropy(logits.T, target)) / 2, logits

def validate():
    with torch.no_grad():
        hits, total, loss = 0, 0, 0.0
        for s in range(0, len(val) - BATCH + 1, BATCH):
            l, logits = loss_of(val[s:s + BATCH])
            hits += (logits.argmax(1) == torch.arange(BATCH)).sum().item()
            total += BATCH
            loss += l.item()
        return hits / total, loss / max(1, total // BATCH)

acc, vl = validate()
print(f'start: val top-1 {acc:.3f} loss {vl:.3f}', file=sys.stderr)
optim = torch.optim.Adam([E], lr=LR)
for epoch in range(EPOCHS):
    random.shuffle(train)
    t0 = time.time()
    for s in range(0, len(train) - BATCH + 1, BATCH):
        l, _ = loss_of(train[s:s + BATCH])
        if REG > 0:
            l = l + REG * ((E - E0) ** 2).sum(1).mean()
        optim.zero_grad()
        l.backward()
        optim.step()
    acc, vl = validate()
    print(f'epoch {epoch + 1}: val top-1 {acc:.3f} loss {vl:.3f} ({time.time() - t0:.0f} s)', file=sys.stderr)

os.makedirs(out, exist_ok=True)
E.detach().numpy().astype('<f4').tofile(f'{out}/vectors.f32')
for f in ('words.txt', 'weights.f32', 'common.f32', 'meta.json'):
    open(f'{out}/{f}', 'wb').write(open(f'{base}/{f}', 'rb').read())
json.dump({'threads': torch.get_num_threads(), 'epochs': EPOCHS, 'batch': BATCH, 'lr': LR, 'tau': TAU, 'reg': REG, 'seed': SEED, 'pairs': len(train)}, open(f'{out}/training.json', 'w'))
