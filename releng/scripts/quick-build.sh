#!/usr/bin/env bash
# Fast build of the plain-Java bundles (no Eclipse imports) with javac alone, for the launcher
# and for a quick edit-compile-test loop. The authoritative build is Tycho (mvn verify); this
# one only compiles sources into one jar per bundle under build/quick/, atomically replaced so
# that a JVM already running from the old jar is never disturbed.
#
#   source releng/scripts/quick-build.sh; hvdbg_quick_build BUNDLE...   (short names: core x86 …)

HVDBG_ROOT="${HVDBG_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
. "$HVDBG_ROOT/releng/scripts/lib.sh"
QUICK_DIR="$HVDBG_ROOT/build/quick"

# Plain bundles and the bundles each one needs on its class path.
hvdbg_bundle_deps() {
  case "$1" in
    core|guests) echo "" ;;
    x86|riscv|rsp) echo "core" ;;
    cli) echo "core x86 riscv rsp guests" ;;
    *) echo "hvdbg: unknown plain bundle '$1'" >&2; return 1 ;;
  esac
}

# Maven Central jars a plain bundle needs at compile and run time (group:artifact:version).
hvdbg_bundle_artifacts() {
  case "$1" in
    riscv|x86) echo "org.ow2.asm:asm:9.9.1" ;;   # the RISC-V and x86 block compilers emit bytecode with ASM
    *) echo "" ;;
  esac
}

# Local-repository path of each jar bundle $1 needs, fetched with releng/scripts/mvnw on first use.
hvdbg_bundle_jars() {
  local a g n v jar m2
  m2="${HVDBG_M2_REPO:-$HOME/.m2/repository}"
  for a in $(hvdbg_bundle_artifacts "$1"); do
    IFS=: read -r g n v <<<"$a"
    jar="$m2/${g//.//}/$n/$v/$n-$v.jar"
    if [ ! -f "$jar" ]; then
      echo "hvdbg: fetching $a from Maven Central (first use)..." >&2
      (cd "${TMPDIR:-/tmp}" && "$HVDBG_ROOT/releng/scripts/mvnw" -q -B -Dmaven.repo.local="$m2" \
         org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dartifact="$a") >/dev/null 2>&1 \
        || { echo "hvdbg: could not fetch $a (needed by bundles/io.hvdbg.$1)" >&2; return 1; }
    fi
    echo "$jar"
  done
}

# Newest modification time (epoch seconds) of the files below the given folders.
hvdbg_newest() {
  find "$@" -type f -printf '%T@\n' 2>/dev/null | sort -n | tail -1 | cut -d. -f1
}

hvdbg_jar_mtime() { [ -f "$1" ] && stat -c %Y "$1" || echo 0; }

# Compiles bundle $1 (after its dependencies) into build/quick/io.hvdbg.$1.jar when stale.
hvdbg_quick_build_one() {
  local b=$1 j dir="$HVDBG_ROOT/bundles/io.hvdbg.$1" jar="$QUICK_DIR/io.hvdbg.$1.jar" deps d cp="" newest
  deps=$(hvdbg_bundle_deps "$b") || return 1
  for d in $deps; do
    hvdbg_quick_build_one "$d" || return 1
    cp="$cp:$QUICK_DIR/io.hvdbg.$d.jar"
  done
  for d in $deps $b; do
    for j in $(hvdbg_bundle_jars "$d") ; do cp="$cp:$j"; done
  done
  newest=$(hvdbg_newest "$dir/src" "$dir/images" "$dir/resources" $(for d in $deps; do echo "$QUICK_DIR/io.hvdbg.$d.jar"; done))
  if [ -f "$jar" ] && [ "$(hvdbg_jar_mtime "$jar")" -ge "${newest:-0}" ]; then return 0; fi
  # One progress line per build for callers that ask for it (the hvdbg launcher).
  if [ -n "${HVDBG_QUICK_ANNOUNCE:-}" ]; then echo "$HVDBG_QUICK_ANNOUNCE" >&2; HVDBG_QUICK_ANNOUNCE=; fi
  local tmp; tmp=$(mktemp -d "$QUICK_DIR/.tmp.$b.XXXXXX") || return 1
  mkdir -p "$tmp/classes"
  local srcs; srcs=$(find "$dir/src" -name '*.java' 2>/dev/null)
  if [ -n "$srcs" ]; then
    # shellcheck disable=SC2086
    if ! "$HVDBG_JAVA_HOME/bin/javac" --release 21 -encoding UTF-8 -nowarn -Xlint:none -g \
        -d "$tmp/classes" ${cp:+-cp "${cp#:}"} $srcs >"$tmp/javac.log" 2>&1; then
      echo "hvdbg: compiling bundles/io.hvdbg.$b failed:" >&2
      cat "$tmp/javac.log" >&2
      rm -rf "$tmp"; return 1
    fi
  fi
  # Non-Java files beside the sources, and the images/ and resources/ folders, go in as-is.
  (cd "$dir/src" 2>/dev/null && find . -type f ! -name '*.java' -exec cp --parents {} "$tmp/classes/" \;)
  for r in images resources; do
    [ -d "$dir/$r" ] && cp -r "$dir/$r" "$tmp/classes/"
  done
  "$HVDBG_JAVA_HOME/bin/jar" --create --file "$tmp/bundle.jar" -C "$tmp/classes" . || { rm -rf "$tmp"; return 1; }
  mv -f "$tmp/bundle.jar" "$jar"
  rm -rf "$tmp"
}

# Builds the given bundles (and what they need) under one lock, so parallel callers take turns.
hvdbg_quick_build() {
  [ -n "${HVDBG_JAVA_HOME:-}" ] || hvdbg_find_jdk || return 1
  mkdir -p "$QUICK_DIR"
  (
    flock 9
    for b in "$@"; do hvdbg_quick_build_one "$b" || exit 1; done
  ) 9>"$QUICK_DIR/.lock"
}

# Class path (colon separated) of the given bundles and everything they need.
hvdbg_quick_classpath() {
  local seen="" out="" b j
  _add() { local x; for x in $(hvdbg_bundle_deps "$1") "$1"; do
      [ "$x" = "$1" ] || _add "$x"
      case " $seen " in *" $x "*) ;; *) seen="$seen $x"; out="$out:$QUICK_DIR/io.hvdbg.$x.jar"
          for j in $(hvdbg_bundle_jars "$x"); do out="$out:$j"; done ;; esac
    done; }
  for b in "$@"; do _add "$b"; done
  echo "${out#:}"
}
