#!/usr/bin/env bash
# Fine-tunes the exported word vectors for retrieval (train-pairs.py) and writes them over
# data/vectors/static-100d.bin, with the same words, weights and common component:
#   1. dump the table export.ts wrote (table-io.ts dump);
#   2. make the training pairs: headings, man-page names and package descriptions beside their text,
#      and inverse-cloze spans of the corpus (pairs.ts; needs .cache/vectors/corpus.txt from
#      build-corpus.ts, and apt's English package descriptions: apt-get update -o Acquire::Languages=en);
#   3. train (Debian's python3-torch, seeded, ~10 minutes on 2 cores);
#   4. write the table back and record the training in MANIFEST.json.
# Run by train.sh right after export.ts (it refuses a table already tuned); never at install or test
# time: the output is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${VECTORS_CACHE:-.cache/vectors}
TABLE=data/vectors/static-100d.bin
SETTINGS="reg=0.3 epochs=4 batch=512 lr=0.001 tau=0.05 seed=1 threads=2"
if grep -q '"fine_tuning"' data/vectors/MANIFEST.json; then
  echo "finetune: $TABLE is already fine-tuned (MANIFEST.json says so); run train.sh, whose export.ts writes the untuned table first" >&2
  exit 1
fi

npx tsx scripts/vectors/table-io.ts dump "$TABLE" "$CACHE/base"
npx tsx scripts/vectors/pairs.ts
/usr/bin/python3 scripts/vectors/train-pairs.py "$CACHE/base" "$CACHE/pairs.tsv" "$CACHE/tuned" $SETTINGS
# The common component stays the one training removed (the encoder in train-pairs.py uses it).
KEEP_COMMON=1 npx tsx scripts/vectors/table-io.ts load "$CACHE/tuned" "$TABLE"
node -e '
  const fs = require("fs"), crypto = require("crypto");
  const m = JSON.parse(fs.readFileSync("data/vectors/MANIFEST.json", "utf8"));
  const buf = fs.readFileSync(process.argv[1]);
  const t = JSON.parse(fs.readFileSync(process.argv[2] + "/tuned/training.json", "utf8"));
  m.sha256 = crypto.createHash("sha256").update(buf).digest("hex");
  m.bytes = buf.length;
  m.fine_tuning = {
    what: "contrastive retrieval training of the same words (in-batch negatives, both directions), pulled toward the fasttext vectors",
    tool: "scripts/vectors/train-pairs.py (Debian python3-torch)",
    settings: t,
    pairs: "scripts/vectors/pairs.ts: section headings, man-page NAME lines and Debian package short descriptions beside their text; inverse-cloze spans of the corpus paragraphs. The software of the evaluation sets (Node.js, Flask, Apache httpd) is left out",
    licences: "as the corpus; package descriptions from Debian main (Translation-en), each under its package licence (all DFSG-free). No training text is shipped, only the vectors.",
    rebuild: "bash scripts/vectors/finetune.sh",
  };
  fs.writeFileSync("data/vectors/MANIFEST.json", JSON.stringify(m, null, 2) + "\n");
' "$TABLE" "$CACHE"
