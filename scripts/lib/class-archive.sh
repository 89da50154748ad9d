# shellcheck shell=bash
# The class-data archive (AppCDS, JDK 17's -XX:SharedArchiveFile) that ./flotilla starts its long-running commands
# from, and that the bench's Fleet Server JVMs use too (scripts/bench/run.sh): the classes a server loads, already
# parsed and verified, mapped from .cache/class-archive/ instead of read from the jar. It is made once per build and
# JDK by a training run (`flotilla class-archive-training`: a server on loopback ports the kernel picks, one agent
# enrolled, checked in, woken by a policy change), in a few seconds. Measured (bench/README.md, "2026-12-06, second
# session"): a Fleet Server restart is ready after 1.1 s instead of 1.5 s of one core. A stale or unreadable archive
# is skipped by the JVM (-Xshare:auto), silently (-Xlog:cds*=off). FLOTILLA_CLASS_ARCHIVE=0 turns it off;
# FLOTILLA_CLASS_ARCHIVE_DIR puts it elsewhere (a directory the user can write; without one it is skipped).
#
# class_archive ROOT JAR: sets class_archive_file to the archive for JAR (made first if missing) and
# archive_options to the JVM options that use it; both empty when it is turned off or could not be made (said once
# on stderr; not retried until the next build).
class_archive_file=""
archive_options=()
class_archive() {
  local root="$1" jar="$2" dir key archive tmp
  class_archive_file=""
  archive_options=()
  [ "${FLOTILLA_CLASS_ARCHIVE:-1}" = 0 ] && return 0
  dir="${FLOTILLA_CLASS_ARCHIVE_DIR:-$root/.cache/class-archive}"
  key="$( (readlink -f "$(command -v java)"; readlink -f "$jar"; stat -c '%Y %s' "$jar") | md5sum | cut -c1-16)"
  archive="$dir/flotilla-$key.jsa"
  if [ ! -f "$archive" ] && [ ! -f "$archive.failed" ]; then
    mkdir -p "$dir" 2>/dev/null || true
    [ -d "$dir" ] && [ -w "$dir" ] || return 0
    exec 8>"$dir/.lock"
    flock -x 8
    if [ ! -f "$archive" ] && [ ! -f "$archive.failed" ]; then
      rm -f "$dir"/flotilla-*.jsa "$dir"/flotilla-*.failed
      echo "flotilla: making the class-data archive for faster server starts (once per build)..." >&2
      tmp="$archive.$$.tmp"
      if java "@$root/cli/jvm/long-running.options" -XX:ArchiveClassesAtExit="$tmp" -jar "$jar" \
          class-archive-training >"$dir/training.log" 2>&1 && [ -s "$tmp" ]; then
        mv "$tmp" "$archive"
      else
        rm -f "$tmp"
        touch "$archive.failed"
        echo "flotilla: could not make the class-data archive (log: $dir/training.log); starting without it" >&2
      fi
    fi
    exec 8>&-
  fi
  if [ -f "$archive" ]; then
    class_archive_file="$archive"
    archive_options=("-XX:SharedArchiveFile=$archive" "-Xlog:cds*=off")
  fi
}
