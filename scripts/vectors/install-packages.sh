#!/usr/bin/env bash
# The Debian packages the training corpus comes from, and fasttext. Refuses to run if apt would
# remove anything: on machines whose Node.js comes from another repository, Debian's nodejs-doc
# conflicts with it and apt would uninstall node (nodejs-doc is the evaluation set, not corpus).
set -euo pipefail
PKGS="fasttext python3-torch python3.11-doc postgresql-doc-15 git-doc perl-doc bash-doc debian-reference-en manpages manpages-dev rust-doc golang-1.19-doc sqlite3-doc"
# English package descriptions (Translation-en) are training pairs for finetune.sh.
apt-get update -qq -o Acquire::Languages=en
if apt-get install -s --no-install-recommends $PKGS | grep -q '^Remv'; then
  echo "install-packages: apt would remove packages to install these; refusing:" >&2
  apt-get install -s --no-install-recommends $PKGS | grep '^Remv' >&2
  exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS
