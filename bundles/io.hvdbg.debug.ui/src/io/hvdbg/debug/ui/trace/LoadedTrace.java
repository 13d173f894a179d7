/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.nio.file.Path;
import java.util.Map;

import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.debug.ui.views.TimelineModel;
import io.hvdbg.x86.trace.KvmTraceReport;

/**
 * An exit trace read from a file, shown by the Exit Timeline and Exit Statistics views instead
 * of a debug session's exits.
 *
 * @param file       where it was read from
 * @param kind       what the file was
 * @param metadata   .hvtrace metadata, or the format and vendor of a text trace
 * @param report     the import report of a host KVM text trace; null for .hvtrace
 * @param trace      the exits (the newest ones if the file held more than the ring takes)
 * @param statistics counts and times of every exit in the file
 * @param timeline   the timeline model of {@code trace}, built off the UI thread
 * @param exits      exits in the file
 * @param vcpus      number of vCPU ids (highest + 1)
 */
public record LoadedTrace(Path file, TraceLoader.Kind kind, Map<String, String> metadata, KvmTraceReport report,
        ExitTrace trace, ExitStatistics statistics, TimelineModel timeline, long exits, int vcpus) {

    /** Up to this many malformed line numbers are named in the view headers. */
    static final int LINES_NAMED = 8;

    public String name() {
        return file.getFileName().toString();
    }

    /** What the import found: format and vendor, counts, malformed lines with their numbers. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        if (report == null) {
            sb.append("hvdbg trace").append(metadata.containsKey("arch") ? " (" + metadata.get("arch") + ")" : "")
                    .append(": ").append(exits).append(exits == 1 ? " exit" : " exits");
        } else {
            sb.append(report.summary());
            if (!report.malformedSamples().isEmpty()) {
                sb.append("; skipped line");
                int n = Math.min(LINES_NAMED, report.malformedSamples().size());
                sb.append(report.malformedLines() == 1 ? " " : "s ");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ", ").append(report.malformedSamples().get(i).lineNumber());
                }
                sb.append(report.malformedLines() > n ? ", \u2026" : "");
            }
        }
        if (trace.size() < exits) {
            sb.append("; the timeline holds the last ").append(trace.size()).append(" exits");
        }
        return sb.toString();
    }

    /** The skipped lines with their numbers and problems, one a line (tooltips, dialogs). */
    public String malformedDetails() {
        if (report == null || report.malformedSamples().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (KvmTraceReport.MalformedLine m : report.malformedSamples()) {
            sb.append(m).append('\n');
        }
        if (report.malformedLines() > report.malformedSamples().size()) {
            sb.append("\u2026 and ").append(report.malformedLines() - report.malformedSamples().size())
                    .append(" more malformed lines\n");
        }
        return sb.toString();
    }
}
