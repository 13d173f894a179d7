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
