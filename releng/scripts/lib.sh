#!/usr/bin/env bash
# Shared shell helpers for the hvdbg launcher and developer scripts.
# Source it; it defines functions only.

HVDBG_CACHE="${HVDBG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hvdbg}"
HVDBG_MAVEN_VERSION=3.9.11

# Prints the major version of the java binary given as $1, or nothing.
hvdbg_java_major() {
  local v
  v=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  [ -n "$v" ] || return 1
  case "$v" in 1.*) v=${v#1.} ;; esac
  echo "${v%%[.+-]*}"
}

# Sets HVDBG_JAVA_HOME to a JDK 21 or newer (with javac): $JAVA_HOME first, then the java on
# PATH, then every JDK under the usual JVM folders, newest first.
hvdbg_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* 2>/dev/null | sort -rV); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(hvdbg_java_major "$c/bin/java") || continue
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      HVDBG_JAVA_HOME="$c"
      return 0
    fi
  done
  echo "hvdbg: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one, e.g. Temurin 21+, and set JAVA_HOME" >&2
  return 1
}

# SHA-512 of apache-maven-$HVDBG_MAVEN_VERSION-bin.zip as published on Maven Central.
HVDBG_MAVEN_SHA512=03e2d65d4483a3396980629f260e25cac0d8b6f7f2791e4dc20bc83f9514db8d0f05b0479e699a5f34679250c49c8e52e961262ded468a20de0be254d8207076
HVDBG_CENTRAL="${HVDBG_CENTRAL:-https://repo.maven.apache.org/maven2}"

# Local Maven repository the bootstrap and the build share.
hvdbg_m2_repo() {
  echo "${HVDBG_M2_REPO:-$HOME/.m2/repository}"
}

# Fetches apache-maven-VERSION-bin.zip into $1 (a file path): from the local Maven repository
# if it is already there, else with Debian's mvn (run from a folder without a pom, so it never
# tries to load our Tycho extension on an old Maven), else with curl/wget from Maven Central.
# Whatever the source, the zip must match the pinned SHA-512.
hvdbg_fetch_maven_zip() {
  local out=$1 v=$HVDBG_MAVEN_VERSION name rel m2 tmp
  name="apache-maven-$v-bin.zip"
  rel="org/apache/maven/apache-maven/$v/$name"
  m2=$(hvdbg_m2_repo)
  if [ ! -f "$m2/$rel" ] && command -v mvn >/dev/null 2>&1; then
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvdbg-mvn.XXXXXX") || return 1
    (cd "$tmp" && mvn -q -B -Dmaven.repo.local="$m2" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.apache.maven:apache-maven:$v:zip:bin" -DoutputDirectory="$tmp" -Dmdep.useBaseVersion=true) \
      >"$tmp/log" 2>&1 || { echo "hvdbg: Debian's mvn could not fetch Maven $v (will download directly):" >&2; tail -5 "$tmp/log" >&2; }
    rm -rf "$tmp"
  fi
  if [ -f "$m2/$rel" ]; then
    cp "$m2/$rel" "$out" || return 1
  elif command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$out" "$HVDBG_CENTRAL/$rel" || { echo "hvdbg: downloading $HVDBG_CENTRAL/$rel failed" >&2; return 1; }
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$out" "$HVDBG_CENTRAL/$rel" || { echo "hvdbg: downloading $HVDBG_CENTRAL/$rel failed" >&2; return 1; }
  else
    echo "hvdbg: need mvn, curl or wget to fetch Maven $v from Maven Central (Debian: apt-get install curl)" >&2
    return 1
  fi
  if ! echo "$HVDBG_MAVEN_SHA512  $out" | sha512sum -c --quiet - >/dev/null 2>&1; then
    echo "hvdbg: $name does not match its pinned SHA-512; refusing to use it (delete $m2/$rel if it is corrupt)" >&2
    rm -f "$out"
    return 1
  fi
}

# Sets HVDBG_MVN to Maven $HVDBG_MAVEN_VERSION's bin/mvn, installing it into the cache first
# if needed. Needs HVDBG_JAVA_HOME (Maven runs on it). Safe against concurrent callers.
hvdbg_find_maven() {
  local home="$HVDBG_CACHE/maven/apache-maven-$HVDBG_MAVEN_VERSION"
  if [ -x "$home/bin/mvn" ]; then HVDBG_MVN="$home/bin/mvn"; return 0; fi
  mkdir -p "$HVDBG_CACHE/maven" || return 1
  (
    flock 9
    [ -x "$home/bin/mvn" ] && exit 0
    tmp=$(mktemp -d "$HVDBG_CACHE/maven/.tmp.XXXXXX") || exit 1
    trap 'rm -rf "$tmp"' EXIT
    hvdbg_fetch_maven_zip "$tmp/maven.zip" || exit 1
    unzip -q "$tmp/maven.zip" -d "$tmp/x" 2>/dev/null \
      || (mkdir -p "$tmp/x" && cd "$tmp/x" && "$HVDBG_JAVA_HOME/bin/jar" xf "$tmp/maven.zip") || exit 1
    chmod +x "$tmp/x/apache-maven-$HVDBG_MAVEN_VERSION/bin/"* || exit 1
    mv "$tmp/x/apache-maven-$HVDBG_MAVEN_VERSION" "$home"
  ) 9>"$HVDBG_CACHE/maven/.lock" || return 1
  HVDBG_MVN="$home/bin/mvn"
}

# Runs the bootstrapped Maven on the JDK 21+ (arguments as for mvn).
hvdbg_mvn() {
  [ -n "${HVDBG_JAVA_HOME:-}" ] || hvdbg_find_jdk || return 1
  [ -n "${HVDBG_MVN:-}" ] || hvdbg_find_maven || return 1
  JAVA_HOME="$HVDBG_JAVA_HOME" "$HVDBG_MVN" "$@"
}
