#!/usr/bin/env bash
# Rebuilds the shipped word vectors (data/vectors/) from scratch:
#   1. install the Debian documentation packages the corpus is made of, and fasttext;
#   2. build the corpus (.cache/vectors/corpus.txt) with the runtime's own tokenizer;
#   3. train skipgram vectors with fasttext (fixed settings below, one thread a core);
#   4. export the most frequent words as an int8 table with SIF weights (data/vectors/);
#   5. fine-tune that table for retrieval (finetune.sh).
# Takes about 45 minutes on 2 cores (fasttext: ~31 min for 13M tokens × 10 epochs). Never run at install or test time: the output is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${VECTORS_CACHE:-.cache/vectors}
DIM=${VECTORS_DIM:-100}
EPOCH=${VECTORS_EPOCH:-10}

if [ "${SKIP_APT:-}" != 1 ]; then
  bash scripts/vectors/install-packages.sh
fi
npx tsx scripts/vectors/build-corpus.ts
# -t 1e-4: subsample very frequent words; -minCount 5: rarer words are noise at this corpus size.
fasttext skipgram -input "$CACHE/corpus.txt" -output "$CACHE/model" -dim "$DIM" -epoch "$EPOCH" \
  -minCount 5 -ws 5 -neg 10 -minn 3 -maxn 6 -t 1e-4 -thread "$(nproc)" -verbose 1
npx tsx scripts/vectors/export.ts
bash scripts/vectors/finetune.sh
