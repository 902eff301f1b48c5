#!/usr/bin/env bash
# Rebuilds the shipped Korean→English lexicon (data/vectors/ko-en-lexicon.tsv.gz) from scratch:
#   1. fetch (never install) the Debian packages that carry the same text in English and Korean: every
#      package with a ko/LC_MESSAGES/*.mo gettext catalog (found with apt-file; game data and other
#      packages over 20 MB left out), LibreOffice help, GIMP help and the Debian FAQ in both languages;
#   2. unpack only what is read (catalogs, help pages) into .cache/vectors/parallel/x;
#   3. write the aligned pairs (parallel-ko.ts) and learn the lexicon (train-lexicon.ts, IBM Model 1);
#   4. pack it into data/vectors/ and record it in data/vectors/LEXICON.json.
# About 20 minutes on 2 cores. Never run at install or test time: the output is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${VECTORS_CACHE:-.cache/vectors}
P="$CACHE/parallel"
mkdir -p "$P/deb" "$P/x"

if [ "${SKIP_FETCH:-}" != 1 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apt-file >/dev/null
  apt-file update >/dev/null
  apt-file search -x '/locale/ko/LC_MESSAGES/.*\.mo$' | cut -d: -f1 | sort -u > "$P/ko-packages.txt"
  xargs apt-cache show --no-all-versions < "$P/ko-packages.txt" 2>/dev/null \
    | awk '/^Package:/{p=$2} /^Size:/{if ($2 < 20000000) print p}' | sort -u > "$P/fetch.txt"
  printf '%s\n' libreoffice-help-ko libreoffice-help-en-us gimp-help-ko gimp-help-en debian-faq-ko debian-faq >> "$P/fetch.txt"
  (cd "$P/deb" && xargs apt-get download -qq < ../fetch.txt)
fi
for f in "$P"/deb/*.deb; do
  dpkg-deb --fsys-tarfile "$f" | tar -x -C "$P/x" --wildcards '*/locale/ko/LC_MESSAGES/*.mo' '*/libreoffice/help/*' '*/gimp/2.0/help/*' '*/doc/debian/FAQ/*' 2>/dev/null || true
done
PARALLEL_ROOT="$P/x" VECTORS_CACHE="$CACHE" npx tsx scripts/vectors/parallel-ko.ts
VECTORS_CACHE="$CACHE" node --max-old-space-size=16000 --import tsx scripts/vectors/train-lexicon.ts
gzip -9 -n -c "$CACHE/ko-en-lexicon.tsv" > data/vectors/ko-en-lexicon.tsv.gz
echo "packages: $(wc -l < "$P/fetch.txt"), pairs: $(wc -l < "$CACHE/ko-en.tsv"), units: $(wc -l < "$CACHE/ko-en-lexicon.tsv")" >&2
