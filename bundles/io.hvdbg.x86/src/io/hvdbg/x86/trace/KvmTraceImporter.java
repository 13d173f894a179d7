/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.ExitTrace;

/**
 * Streams a host KVM trace in text form - ftrace's {@code trace} file, {@code trace-cmd report}
 * or {@code perf script} output with {@code kvm:kvm_exit} / {@code kvm:kvm_entry} events - into
 * exit records of the core's model ({@link ExitRecordVisitor}, e.g. an {@link ExitTrace}).
 *
 * <p>kvm_exit lines in every format the x86 tracepoint has had are understood: Linux 5.13+
 * {@code vcpu N reason R rip 0x.. info1 0x.. info2 0x.. intr_info 0x.. error_code 0x..} (and
 * later additions such as {@code requests}), older {@code reason R rip 0x.. info A B}, and plain
 * {@code reason R rip 0x..}; reasons as VMX_EXIT_REASONS or SVM_EXIT_REASONS names, or as hex
 * when the kernel had no name. An exit's duration runs to the next kvm_entry of the same vCPU
 * thread, so records are delivered when the vCPU re-enters (in re-entry order) with
 * {@code time} the exit's timestamp in nanoseconds of the trace clock. kvm_msr, kvm_cpuid and
 * kvm_page_fault events between the two fill in the MSR index, CPUID leaf and faulting GPA that
 * the kvm_exit line lacks.
 *
 * <p>Field mapping: qualification = info1 (VMX exit qualification, SVM EXITINFO1); info2 = SVM
 * EXITINFO2, or the GPA of a VMX EPT violation from kvm_page_fault (the tracepoint's VMX info2 is
 * the IDT-vectoring field, which the model does not hold); context = exception vector | error
 * code &lt;&lt; 32, MSR index, CPUID leaf | subleaf &lt;&lt; 32.
 *
 * <p>Lines that are not events are counted and the first {@value #MALFORMED_SAMPLES} kept with
 * their numbers; nothing in the input stops the import. Memory is bounded: one read buffer and
 * one small state per vCPU thread, whatever the size of the input.
 */
public final class KvmTraceImporter {
    /** How many skipped lines the report keeps verbatim. */
    public static final int MALFORMED_SAMPLES = 20;
    /** Longest line considered; longer lines are skipped as malformed. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Larger vCPU ids are taken for corruption (KVM allows 4096 on x86). */
    public static final int MAX_VCPU_ID = 0xFFFF;
    private static final int BUFFER_BYTES = 4 * MAX_LINE_BYTES;
    private static final long PROGRESS_EVERY_BYTES = 1 << 20;
    private static final int SAMPLE_TEXT_CHARS = 160;

    private static final int EV_NONE = 0;
    private static final int EV_EXIT = 1;
    private static final int EV_ENTRY = 2;
    private static final int EV_MSR = 3;
    private static final int EV_CPUID = 4;
    private static final int EV_PAGE_FAULT = 5;
    private static final int EV_OTHER = 6;

    private static final byte[] KVM = ascii("kvm");
    private static final byte[] KVM_EXIT = ascii("kvm_exit");
    private static final byte[] KVM_ENTRY = ascii("kvm_entry");
    private static final byte[] KVM_MSR = ascii("kvm_msr");
    private static final byte[] KVM_CPUID = ascii("kvm_cpuid");
    private static final byte[] KVM_PAGE_FAULT = ascii("kvm_page_fault");
    private static final byte[] VCPU = ascii("vcpu");
    private static final byte[] REASON = ascii("reason");
    private static final byte[] RIP = ascii("rip");
    private static final byte[] INFO = ascii("info");
    private static final byte[] INFO1 = ascii("info1");
    private static final byte[] INFO2 = ascii("info2");
    private static final byte[] INTR_INFO = ascii("intr_info");
    private static final byte[] ERROR_CODE = ascii("error_code");
    private static final byte[] EXCP = ascii("excp");
    private static final byte[] FUNC = ascii("func");
    private static final byte[] IDX = ascii("idx");
    private static final byte[] ADDRESS = ascii("address");

    private final ExitRecordVisitor sink;
    private final ImportProgress progress;

    // The line being parsed and what parsing found.
    private byte[] b;
    private int tokStart;
    private int tokEnd;
    private long tid;
    private int commStart;
    private int commEnd;
    private long time;
    private int eventVcpu;
    private long rip;
    private boolean ripSeen;
    private boolean hexOk;
    private boolean timestampRaw;
    private int lineBegin;
    private int lineEnd;
    private long info1;
    private long info2;
    private long intrInfo;
    private long errorCode;
    private int reasonStart;
    private int reasonEnd;
    private String problem;

    // Per-thread state: open addressing on the thread key.
    private ThreadState[] threads = new ThreadState[64];
    private int threadCount;

    private final ReasonCache reasons = new ReasonCache();

    // Report counters.
    private KvmTraceFormat headerFormat = KvmTraceFormat.UNKNOWN;
    private boolean sawPerf;
    private boolean sawTraceEvent;
    private ExitSource vendor = ExitSource.UNKNOWN;
    private long vmxNames;
    private long svmNames;
    private long lines;
    private long exits;
    private long exitsWithoutEntry;
    private long entriesWithoutExit;
    private long otherEvents;
    private long headerLines;
    private long lostEventLines;
    private long malformedLines;
    private final List<KvmTraceReport.MalformedLine> malformedSamples = new ArrayList<>();
    private final BitSet vcpus = new BitSet();
    private long firstTime = -1;
    private long lastTime = -1;
    private boolean rawCounterClock;
    private boolean stopped;
    private long seq;

    private KvmTraceImporter(ExitRecordVisitor sink, ImportProgress progress) {
        this.sink = sink;
        this.progress = progress == null ? ImportProgress.NONE : progress;
    }

    /**
     * Streams {@code in} to {@code sink}.
     *
     * @param totalBytes size of the input for progress, or -1
     */
    public static KvmTraceReport read(InputStream in, long totalBytes, ExitRecordVisitor sink, ImportProgress progress)
            throws IOException {
        KvmTraceImporter importer = new KvmTraceImporter(sink, progress);
        importer.readAll(in, totalBytes);
        return importer.report();
    }

    /** Streams a file to {@code sink}. */
    public static KvmTraceReport read(Path file, ExitRecordVisitor sink, ImportProgress progress) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file), sink, progress);
        }
    }

    /** A trace loaded into a ring, with the import report. */
    public record Loaded(ExitTrace trace, KvmTraceReport report) {
    }

    /**
     * Loads a file into a new ring of {@code capacityBytes}; when the file holds more exits than
     * fit, the oldest are dropped (as for a live VM) while statistics-style consumers should use
     * {@link #read(Path, ExitRecordVisitor, ImportProgress)} instead.
     */
    public static Loaded load(Path file, long capacityBytes, ImportProgress progress) throws IOException {
        ExitTrace trace = new ExitTrace(capacityBytes);
        KvmTraceReport report = read(file, (s, v, r, t, d, pc, q, i2, c) -> {
            trace.record(v, r, t, d, pc, q, i2, c);
            return true;
        }, progress);
        return new Loaded(trace, report);
    }

    /**
     * Whether the start of a file looks like a text trace with KVM events: printable text
     * (no NUL bytes) that mentions {@code kvm_exit} or {@code kvm_entry}, or starts with an
     * ftrace / trace-cmd header. Used to tell these files from .hvtrace by content.
     */
    public static boolean looksLikeKvmTrace(byte[] head, int length) {
        int n = Math.min(length, head.length);
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                return false;
            }
        }
        String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        return s.contains("kvm_exit") || s.contains("kvm_entry") || s.startsWith("# tracer:")
                || s.startsWith("cpus=") || s.startsWith("version = ");
    }

    private void readAll(InputStream in, long totalBytes) throws IOException {
        byte[] buf = new byte[BUFFER_BYTES];
        int start = 0;
        int scan = 0;
        int end = 0;
        boolean eof = false;
        boolean skippingLongLine = false;
        long bytesRead = 0;
        long nextProgress = PROGRESS_EVERY_BYTES;
        while (!stopped) {
            int nl = -1;
            for (int i = scan; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                if (skippingLongLine) {
                    skippingLongLine = false;
                } else {
                    line(buf, start, nl);
                }
                start = nl + 1;
                scan = start;
                continue;
            }
            if (eof) {
                if (start < end && !skippingLongLine) {
                    line(buf, start, end);
                }
                break;
            }
            scan = end;
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scan -= start;
                start = 0;
            }
            if (end - start >= MAX_LINE_BYTES) {
                if (!skippingLongLine) {
                    lines++;
                    malformed("line longer than " + MAX_LINE_BYTES + " bytes", buf, 0, SAMPLE_TEXT_CHARS);
                    skippingLongLine = true;
                }
                start = 0;
                scan = 0;
                end = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
                bytesRead += n;
                if (bytesRead >= nextProgress) {
                    nextProgress = (bytesRead / PROGRESS_EVERY_BYTES + 1) * PROGRESS_EVERY_BYTES;
                    if (!progress.progress(bytesRead, totalBytes)) {
                        stopped = true;
                    }
                }
            }
        }
        flushPending();
        progress.progress(bytesRead, totalBytes);
    }

    private void line(byte[] buf, int s, int e) {
        lines++;
        if (e > s && buf[e - 1] == '\r') {
            e--;
        }
        this.b = buf;
        if (e - s > MAX_LINE_BYTES) {
            malformed("line longer than " + MAX_LINE_BYTES + " bytes", buf, s, s + SAMPLE_TEXT_CHARS);
            return;
        }
        this.lineEnd = e;
        int p = skipSpaces(s, e);
        this.lineBegin = p;
        if (p == e) {
            headerLines++;
            return;
        }
        if (buf[p] == '#') {
            if (startsWith(p, e, "# tracer:")) {
                headerFormat = KvmTraceFormat.FTRACE;
            }
            headerLines++;
            return;
        }
        int event = parseEventLine(p, e);
        if (event == EV_NONE) {
            headerOrMalformed(p, e);
            return;
        }
        sawTraceEvent = true;
        switch (event) {
            case EV_EXIT -> onExit(p, e);
            case EV_ENTRY -> onEntry();
            case EV_MSR -> onMsr();
            case EV_CPUID -> onCpuid();
            case EV_PAGE_FAULT -> onPageFault();
            default -> otherEvents++;
        }
    }

    private void headerOrMalformed(int p, int e) {
        if (startsWith(p, e, "cpus=") || startsWith(p, e, "version =") || startsWith(p, e, "version=")) {
            headerFormat = KvmTraceFormat.TRACE_CMD;
            headerLines++;
        } else if (contains(p, e, "EVENTS") && (contains(p, e, "LOST") || contains(p, e, "DROPPED"))) {
            lostEventLines++;
            headerLines++;
        } else if (startsWith(p, e, "CPU ") && contains(p, e, " is empty")) {
            headerLines++;
        } else {
            malformed(problem != null ? problem : "not a trace event line", b, p, e);
        }
    }

    /**
     * Parses the common prefix {@code TASK [CPU] FLAGS? TIMESTAMP: [SYSTEM:]EVENT:} of all three
     * tools; returns the event kind with the payload ready at {@link #tokEnd}, or EV_NONE.
     */
    private int parseEventLine(int p, int e) {
        problem = null;
        int bracket = -1;
        int close = -1;
        for (int i = p; i < e - 2; i++) {
            if (b[i] == '[' && isDigit(b[i + 1])) {
                int j = i + 1;
                while (j < e && isDigit(b[j])) {
                    j++;
                }
                if (j < e && b[j] == ']') {
                    bracket = i;
                    close = j;
                    break;
                }
            }
        }
        if (bracket < 0) {
            // perf script of a per-process recording prints no CPU column: "comm tid ts: event:"
            bracket = timestampWithoutCpuField(p, e);
            if (bracket < 0) {
                return EV_NONE;
            }
        } else {
            int q = skipSpaces(close + 1, e);
            if (q < e && !isDigit(b[q])) {
                // ftrace latency flags such as "d..2." or "...1"
                while (q < e && b[q] != ' ') {
                    q++;
                }
                q = skipSpaces(q, e);
            }
            if (!parseTimestamp(q, e)) {
                problem = "no timestamp after the CPU field";
                return EV_NONE;
            }
        }
        int t0 = skipSpaces(tokEnd, e);
        int t1 = t0;
        while (t1 < e && b[t1] != ' ') {
            t1++;
        }
        if (t1 == t0) {
            problem = "no event name after the timestamp";
            return EV_NONE;
        }
        if (t1 - t0 < 2 || b[t1 - 1] != ':') {
            // a function tracer line ("func <-caller") recorded alongside: not ours, not broken
            tokEnd = t1;
            return EV_OTHER;
        }
        if (timestampRaw) {
            rawCounterClock = true;
        }
        int nameEnd = t1 - 1;
        int nameStart = t0;
        boolean kvmSystem = false;
        for (int i = nameEnd - 1; i >= t0; i--) {
            if (b[i] == ':') {
                nameStart = i + 1;
                kvmSystem = equalsBytes(t0, i, KVM);
                sawPerf = true;
                break;
            }
        }
        if (nameStart != t0 && !kvmSystem) {
            tokEnd = t1;
            parseTask(p, bracket);
            return EV_OTHER;
        }
        tokEnd = t1;
        parseTask(p, bracket);
        if (equalsBytes(nameStart, nameEnd, KVM_EXIT)) {
            return EV_EXIT;
        }
        if (equalsBytes(nameStart, nameEnd, KVM_ENTRY)) {
            return EV_ENTRY;
        }
        if (equalsBytes(nameStart, nameEnd, KVM_MSR)) {
            return EV_MSR;
        }
        if (equalsBytes(nameStart, nameEnd, KVM_CPUID)) {
            return EV_CPUID;
        }
        if (equalsBytes(nameStart, nameEnd, KVM_PAGE_FAULT)) {
            return EV_PAGE_FAULT;
        }
        return EV_OTHER;
    }

    /**
     * Finds a {@code seconds.fraction:} token followed by a {@code kvm:} event (lines without a
     * CPU field); parses it and returns where the task prefix ends, or -1.
     */
    private int timestampWithoutCpuField(int p, int e) {
        for (int i = p; i < e; i++) {
            if (isDigit(b[i]) && (i == p || b[i - 1] == ' ') && parseTimestamp(i, e) && tokEnd < e
                    && b[tokEnd] == ' ' && !timestampRaw) {
                int ev = skipSpaces(tokEnd, e);
                if (startsWith(ev, e, "kvm:")) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** {@code 12345.678901:} (seconds, up to ns precision) or a raw counter {@code 123456789:}. */
    private boolean parseTimestamp(int q, int e) {
        long whole = 0;
        int i = q;
        while (i < e && isDigit(b[i])) {
            whole = whole * 10 + (b[i++] - '0');
        }
        if (i == q || i >= e) {
            return false;
        }
        if (b[i] == ':') {
            timestampRaw = true;
            time = whole;
            tokEnd = i + 1;
            return true;
        }
        if (b[i] != '.') {
            return false;
        }
        i++;
        long frac = 0;
        int digits = 0;
        while (i < e && isDigit(b[i])) {
            if (digits < 9) {
                frac = frac * 10 + (b[i] - '0');
                digits++;
            }
            i++;
        }
        if (digits == 0 || i >= e || b[i] != ':') {
            return false;
        }
        for (int d = digits; d < 9; d++) {
            frac *= 10;
        }
        timestampRaw = false;
        time = whole * 1_000_000_000L + frac;
        tokEnd = i + 1;
        return true;
    }

    /**
     * The thread id before the CPU field: ftrace {@code comm-pid} (optionally followed by
     * {@code (tgid)}), perf {@code comm tid} or {@code comm pid/tid}. Comm may contain spaces.
     */
    private void parseTask(int p, int bracket) {
        int end = bracket;
        while (end > p && b[end - 1] == ' ') {
            end--;
        }
        if (end > p && b[end - 1] == ')') {
            int open = end - 1;
            while (open > p && b[open] != '(') {
                open--;
            }
            end = open;
            while (end > p && b[end - 1] == ' ') {
                end--;
            }
        }
        int k = end;
        while (k > p && isDigit(b[k - 1])) {
            k--;
        }
        commStart = p;
        if (k == end) {
            tid = -1;
            commEnd = end;
            return;
        }
        tid = parseDecimal(k, end);
        if (k > p && b[k - 1] == '/') {
            // perf "pid/tid": the pid token starts after the last space
            int s = k - 1;
            while (s > p && b[s - 1] != ' ') {
                s--;
            }
            commEnd = s;
        } else if (k > p && b[k - 1] == '-') {
            commEnd = k - 1;
        } else {
            commEnd = k;
        }
        while (commEnd > commStart && b[commEnd - 1] == ' ') {
            commEnd--;
        }
    }

    private void onExit(int lineStart, int lineEnd) {
        eventVcpu = -1;
        rip = 0;
        ripSeen = false;
        info1 = 0;
        info2 = 0;
        intrInfo = 0;
        errorCode = 0;
        reasonStart = -1;
        int e = lineEnd;
        int p = tokEnd;
        while (nextToken(p, e)) {
            p = tokEnd;
            if (tokenIs(VCPU)) {
                if (!nextToken(p, e) || !isDigit(b[tokStart]) || tokEnd - tokStart > 6
                        || parseDecimal(tokStart, tokEnd) > MAX_VCPU_ID) {
                    malformed("kvm_exit: vcpu is not a vCPU id", b, lineStart, lineEnd);
                    return;
                }
                eventVcpu = (int) parseDecimal(tokStart, tokEnd);
                p = tokEnd;
            } else if (tokenIs(REASON)) {
                if (!nextToken(p, e)) {
                    break;
                }
                reasonStart = tokStart;
                reasonEnd = tokEnd;
                p = tokEnd;
                // SVM exception names are two words ("PF excp"); VMX may add "FAILED_VMENTRY".
                if (nextToken(p, e) && tokenIs(EXCP)) {
                    reasonEnd = tokEnd;
                    p = tokEnd;
                }
            } else if (tokenIs(RIP)) {
                if (!nextToken(p, e)) {
                    break;
                }
                rip = parseHex(tokStart, tokEnd);
                if (!hexOk) {
                    malformed("kvm_exit: rip is not a hex number", b, lineStart, lineEnd);
                    return;
                }
                ripSeen = true;
                p = tokEnd;
            } else if (tokenIs(INFO1)) {
                p = hexField(p, e, 1);
            } else if (tokenIs(INFO2)) {
                p = hexField(p, e, 2);
            } else if (tokenIs(INTR_INFO)) {
                p = hexField(p, e, 3);
            } else if (tokenIs(ERROR_CODE)) {
                p = hexField(p, e, 4);
            } else if (tokenIs(INFO)) {
                // pre-5.13: "info %llx %llx"
                p = hexField(p, e, 1);
                p = hexField(p, e, 2);
            }
        }
        if (reasonStart < 0) {
            malformed("kvm_exit without a reason", b, lineStart, lineEnd);
            return;
        }
        if (!ripSeen) {
            malformed("kvm_exit without rip", b, lineStart, lineEnd);
            return;
        }
        ExitReason reason = resolveReason(reasonStart, reasonEnd);
        ThreadState t = thread();
        if (t.pending) {
            exitsWithoutEntry++;
            emit(t, 0);
        }
        if (eventVcpu >= 0) {
            t.vcpu = eventVcpu;
        }
        t.pending = true;
        t.exitVcpu = eventVcpu >= 0 ? eventVcpu : t.vcpu;
        t.reason = reason;
        t.time = time;
        t.pc = rip;
        t.qualification = info1;
        t.info2 = reason.source() == ExitSource.VMX ? 0 : info2;
        t.context = exceptionContext(reason);
    }

    private long exceptionContext(ExitReason reason) {
        if (reason.category() != ExitCategory.EXCEPTION) {
            return 0;
        }
        if (reason.source() == ExitSource.VMX) {
            // VM-exit interruption information: bit 31 valid, bits 7:0 vector
            return (intrInfo & 0x8000_0000L) != 0 ? (intrInfo & 0xFF) | (errorCode & 0xFFFF_FFFFL) << 32 : 0;
        }
        if (reason.source() == ExitSource.SVM && reason.code() >= 0x40 && reason.code() < 0x60) {
            return (reason.code() - 0x40) | (info1 & 0xFFFF_FFFFL) << 32;
        }
        return 0;
    }

    private int hexField(int p, int e, int field) {
        if (!nextToken(p, e)) {
            return e;
        }
        long v = parseHex(tokStart, tokEnd);
        switch (field) {
            case 1 -> info1 = v;
            case 2 -> info2 = v;
            case 3 -> intrInfo = v;
            default -> errorCode = v;
        }
        return tokEnd;
    }

    private void onEntry() {
        int e = lineEnd;
        int p = tokEnd;
        int vcpu = -1;
        while (nextToken(p, e)) {
            p = tokEnd;
            if (tokenIs(VCPU) && nextToken(p, e) && isDigit(b[tokStart])) {
                long id = tokEnd - tokStart > 7 ? Long.MAX_VALUE : parseDecimal(tokStart, tokEnd);
                if (id > MAX_VCPU_ID) {
                    malformed("kvm_entry: vcpu is not a vCPU id", b, lineBegin, e);
                    return;
                }
                vcpu = (int) id;
                break;
            }
        }
        eventVcpu = vcpu;
        ThreadState t = thread();
        if (vcpu >= 0) {
            t.vcpu = vcpu;
        }
        if (!t.pending) {
            entriesWithoutExit++;
            return;
        }
        if (t.exitVcpu < 0) {
            t.exitVcpu = vcpu;
        }
        emit(t, Math.max(0, time - t.time));
    }

    /** kvm_msr: {@code msr_read 1b = 0xfee00900} - the MSR index of a pending MSR exit. */
    private void onMsr() {
        otherEvents++;
        int e = lineEnd;
        if (!nextToken(tokEnd, e) || !nextToken(tokEnd, e)) {
            return;
        }
        long index = parseHex(tokStart, tokEnd);
        ThreadState t = pendingThread();
        if (t != null && t.reason.category() == ExitCategory.MSR && hexOk) {
            t.context = index;
        }
    }

    /** kvm_cpuid: {@code func 1 idx 0 rax ...} (idx since 5.x) - the leaf of a pending CPUID exit. */
    private void onCpuid() {
        otherEvents++;
        int e = lineEnd;
        int p = tokEnd;
        long leaf = -1;
        long subleaf = 0;
        while (nextToken(p, e)) {
            p = tokEnd;
            if (tokenIs(FUNC) && nextToken(p, e)) {
                leaf = parseHex(tokStart, tokEnd);
                p = tokEnd;
            } else if (tokenIs(IDX) && nextToken(p, e)) {
                subleaf = parseHex(tokStart, tokEnd);
                p = tokEnd;
                break;
            }
        }
        ThreadState t = pendingThread();
        if (t != null && t.reason.category() == ExitCategory.CPUID && leaf != -1) {
            t.context = (leaf & 0xFFFF_FFFFL) | (subleaf & 0xFFFF_FFFFL) << 32;
        }
    }

    /** kvm_page_fault: {@code ... address 0x.. error_code 0x..} - the GPA of a pending EPT violation. */
    private void onPageFault() {
        otherEvents++;
        int e = lineEnd;
        int p = tokEnd;
        while (nextToken(p, e)) {
            p = tokEnd;
            if (tokenIs(ADDRESS) && nextToken(p, e)) {
                long gpa = parseHex(tokStart, tokEnd);
                ThreadState t = pendingThread();
                if (t != null && t.reason.source() == ExitSource.VMX
                        && t.reason.category() == ExitCategory.NESTED_PAGE_FAULT) {
                    t.info2 = gpa;
                }
                return;
            }
        }
    }

    private ThreadState pendingThread() {
        ThreadState t = findThread(threadKey());
        return t != null && t.pending ? t : null;
    }

    private void emit(ThreadState t, long duration) {
        t.pending = false;
        int vcpu = t.exitVcpu >= 0 ? t.exitVcpu : t.vcpu >= 0 ? t.vcpu : commVcpu(t);
        if (!sink.visit(seq++, vcpu, t.reason.id(), t.time, duration, t.pc, t.qualification, t.info2, t.context)) {
            stopped = true;
        }
        exits++;
        vcpus.set(Math.max(0, vcpu));
        if (firstTime < 0 || t.time < firstTime) {
            firstTime = t.time;
        }
        if (t.time > lastTime) {
            lastTime = t.time;
        }
    }

    /** QEMU names vCPU threads "CPU n/KVM"; otherwise number the threads in order of appearance. */
    private int commVcpu(ThreadState t) {
        if (t.commVcpu >= 0) {
            return t.commVcpu;
        }
        return t.ordinal;
    }

    private void flushPending() {
        List<ThreadState> pending = new ArrayList<>();
        for (ThreadState t : threads) {
            if (t != null && t.pending) {
                pending.add(t);
            }
        }
        pending.sort(Comparator.comparingLong(t -> t.time));
        for (ThreadState t : pending) {
            if (stopped) {
                break;
            }
            exitsWithoutEntry++;
            emit(t, 0);
        }
    }

    private ExitReason resolveReason(int s, int e) {
        ExitReason cached = reasons.get(b, s, e);
        boolean numeric = isDigit(b[s]);
        if (cached != null && !numeric) {
            countVendor(cached.source());
            return cached;
        }
        String name = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        if (numeric) {
            long code = parseHex(s, e);
            if (!name.startsWith("0x")) {
                code = parseDecimal(s, e);
            }
            return KvmExitReasons.byCode(vendor, code);
        }
        ExitReason r = KvmExitReasons.vmx(name);
        if (r == null) {
            r = KvmExitReasons.svm(name);
        }
        if (r == null) {
            r = unknownName(name);
        }
        reasons.put(b, s, e, r);
        countVendor(r.source());
        return r;
    }

    /** A name neither table has (a newer kernel): kept under its own name in source UNKNOWN. */
    private static ExitReason unknownName(String name) {
        for (ExitReason r : ExitReasons.of(ExitSource.UNKNOWN)) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        long code = 0x1_0000_0000L | (name.hashCode() & 0xFFFF_FFFFL);
        while (ExitReasons.find(ExitSource.UNKNOWN, code) != null) {
            code++;
        }
        return ExitReasons.register(ExitSource.UNKNOWN, code, name, ExitCategory.OTHER);
    }

    private void countVendor(ExitSource source) {
        if (source == ExitSource.VMX) {
            vmxNames++;
        } else if (source == ExitSource.SVM) {
            svmNames++;
        } else {
            return;
        }
        if (vendor == ExitSource.UNKNOWN) {
            vendor = source;
        }
    }

    private long threadKey() {
        if (tid >= 0) {
            return tid;
        }
        return eventVcpu >= 0 ? (1L << 40) | eventVcpu : 1L << 41;
    }

    private ThreadState findThread(long key) {
        ThreadState[] table = threads;
        int mask = table.length - 1;
        for (int h = hash(key) & mask;; h = (h + 1) & mask) {
            ThreadState t = table[h];
            if (t == null) {
                return null;
            }
            if (t.key == key) {
                return t;
            }
        }
    }

    private ThreadState thread() {
        long key = threadKey();
        ThreadState t = findThread(key);
        if (t != null) {
            return t;
        }
        if ((threadCount + 1) * 2 > threads.length) {
            ThreadState[] grown = new ThreadState[threads.length * 2];
            for (ThreadState old : threads) {
                if (old != null) {
                    insert(grown, old);
                }
            }
            threads = grown;
        }
        t = new ThreadState(key, threadCount++, commVcpuHint());
        insert(threads, t);
        return t;
    }

    private static void insert(ThreadState[] table, ThreadState t) {
        int mask = table.length - 1;
        int h = hash(t.key) & mask;
        while (table[h] != null) {
            h = (h + 1) & mask;
        }
        table[h] = t;
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** "CPU 3/KVM" -> 3, else -1. */
    private int commVcpuHint() {
        int s = commStart;
        if (commEnd - s < 5 || !startsWith(s, commEnd, "CPU ")) {
            return -1;
        }
        int i = s + 4;
        int j = i;
        while (j < commEnd && isDigit(b[j])) {
            j++;
        }
        if (j == i || j >= commEnd || b[j] != '/') {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, parseDecimal(i, j));
    }

    // --- byte helpers -------------------------------------------------------------------------

    /** Next space-separated token from p (a trailing comma dropped); false at the end. */
    private boolean nextToken(int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        if (p >= e) {
            tokStart = tokEnd = e;
            return false;
        }
        int q = p;
        while (q < e && b[q] != ' ' && b[q] != '\t') {
            q++;
        }
        tokStart = p;
        tokEnd = q;
        return true;
    }

    private boolean tokenIs(byte[] word) {
        int end = tokEnd;
        if (end > tokStart && b[end - 1] == ',') {
            end--;
        }
        return equalsBytes(tokStart, end, word);
    }

    private boolean equalsBytes(int s, int e, byte[] word) {
        if (e - s != word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[s + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(int s, int e, String prefix) {
        if (e - s < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[s + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(int s, int e, String word) {
        int n = word.length();
        outer:
        for (int i = s; i + n <= e; i++) {
            for (int k = 0; k < n; k++) {
                if (b[i + k] != word.charAt(k)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private int skipSpaces(int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private long parseDecimal(int s, int e) {
        long v = 0;
        for (int i = s; i < e && isDigit(b[i]); i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** Hex with or without 0x, a trailing comma allowed; sets {@link #hexOk}, and returns -1 if it is not hex. */
    private long parseHex(int s, int e) {
        hexOk = false;
        if (e > s && b[e - 1] == ',') {
            e--;
        }
        if (e - s > 2 && b[s] == '0' && (b[s + 1] == 'x' || b[s + 1] == 'X')) {
            s += 2;
        }
        if (s >= e || e - s > 16) {
            return -1;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            int c = b[i];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = (v << 4) | d;
        }
        hexOk = true;
        return v;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void malformed(String what, byte[] buf, int s, int e) {
        malformedLines++;
        if (malformedSamples.size() < MALFORMED_SAMPLES) {
            int n = Math.min(e - s, SAMPLE_TEXT_CHARS);
            String text = new String(buf, s, Math.max(0, n), StandardCharsets.ISO_8859_1).strip();
            malformedSamples.add(new KvmTraceReport.MalformedLine(lines, what, text));
        }
    }

    private KvmTraceReport report() {
        KvmTraceFormat format = sawPerf ? KvmTraceFormat.PERF_SCRIPT
                : headerFormat != KvmTraceFormat.UNKNOWN ? headerFormat
                : sawTraceEvent ? KvmTraceFormat.FTRACE : KvmTraceFormat.UNKNOWN;
        return new KvmTraceReport(format, vendor, lines, exits, exitsWithoutEntry, entriesWithoutExit, otherEvents,
                headerLines, lostEventLines, malformedLines, List.copyOf(malformedSamples), vcpus.cardinality(),
                firstTime, lastTime, rawCounterClock, vmxNames > 0 && svmNames > 0, stopped);
    }

    /** What is known about one vCPU thread, and its exit waiting for kvm_entry. */
    private static final class ThreadState {
        final long key;
        final int ordinal;
        final int commVcpu;
        int vcpu = -1;
        boolean pending;
        int exitVcpu;
        ExitReason reason;
        long time;
        long pc;
        long qualification;
        long info2;
        long context;

        ThreadState(long key, int ordinal, int commVcpu) {
            this.key = key;
            this.ordinal = ordinal;
            this.commVcpu = commVcpu;
        }
    }

    /** Reason names seen so far, looked up by their bytes so known names cost no String. */
    private static final class ReasonCache {
        private byte[][] keys = new byte[64][];
        private ExitReason[] values = new ExitReason[64];
        private int size;

        ExitReason get(byte[] b, int s, int e) {
            int mask = keys.length - 1;
            for (int h = hash(b, s, e) & mask;; h = (h + 1) & mask) {
                byte[] k = keys[h];
                if (k == null) {
                    return null;
                }
                if (Arrays.equals(k, 0, k.length, b, s, e)) {
                    return values[h];
                }
            }
        }

        void put(byte[] b, int s, int e, ExitReason r) {
            if ((size + 1) * 2 > keys.length) {
                byte[][] oldKeys = keys;
                ExitReason[] oldValues = values;
                keys = new byte[oldKeys.length * 2][];
                values = new ExitReason[oldKeys.length * 2];
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != null) {
                        put(oldKeys[i], 0, oldKeys[i].length, oldValues[i]);
                    }
                }
            }
            int mask = keys.length - 1;
            int h = hash(b, s, e) & mask;
            while (keys[h] != null) {
                h = (h + 1) & mask;
            }
            keys[h] = Arrays.copyOfRange(b, s, e);
            values[h] = r;
            size++;
        }

        private static int hash(byte[] b, int s, int e) {
            int h = 0;
            for (int i = s; i < e; i++) {
                h = 31 * h + b[i];
            }
            return h ^ (h >>> 16);
        }
    }
}
